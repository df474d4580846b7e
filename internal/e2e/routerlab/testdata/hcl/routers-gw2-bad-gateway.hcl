# routers.hcl with a gateway for gw2 that vtic validate cannot fault and
# gw2's kernel refuses: vtic apply on gw2 fails in its devices step.

router "gw1" {
  asn      = 65001
  outside  = "192.0.2.1"
  gateway  = "192.0.2.254"
  announce = ["10.1.0.0/16"]
}

router "gw2" {
  asn      = 65002
  outside  = "203.0.113.1"
  gateway  = "198.18.0.1" # on none of gw2's networks: the kernel refuses routes through it
  announce = ["10.2.0.0/16"]
}

router "gw3" {
  asn      = 65003
  outside  = "198.51.100.1"
  gateway  = "198.51.100.254"
  announce = ["10.3.0.0/16"]
}
