# Three routers of our own, each with one outside address on the lab's
# "inet" namespace, their gateway. Each announces the /16 of its LAN (a
# dummy device in the lab) over BGP.

router "gw1" {
  asn      = 65001
  outside  = "192.0.2.1"
  gateway  = "192.0.2.254"
  announce = ["10.1.0.0/16"]
}

router "gw2" {
  asn      = 65002
  outside  = "203.0.113.1"
  gateway  = "203.0.113.254"
  announce = ["10.2.0.0/16"]
}

router "gw3" {
  asn      = 65003
  outside  = "198.51.100.1"
  gateway  = "198.51.100.254"
  announce = ["10.3.0.0/16"]
}
