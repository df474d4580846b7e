# The base site. Every fixture under testdata/rules is laid over a copy of
# this directory: a fixture file with the same name as a base file replaces
# it, any other file is added. The base is valid on its own.

router "gw1" {
  asn      = 65001
  outside  = "192.0.2.1"
  gateway  = "192.0.2.254"
  announce = ["10.1.0.0/16"]
}

router "gw2" {
  asn     = 65002
  outside = "203.0.113.1"
}

router "gw6" {
  asn       = 65006
  router_id = "10.6.0.1"
  outside   = "2001:db8::6"
}
