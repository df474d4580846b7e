# The two routers of examples/two-routers, as the health lab test builds
# them: each announces its LAN (an address on lo in the lab) over BGP
# through the tunnel.

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

tunnel "gw1-gw2" {
  mark        = 20
  mtu         = 1400
  psk         = file("secrets/gw1-gw2.psk")
  description = "gw1 to gw2"

  end "gw1" {
    interface = "vti3"
    inside    = "169.254.20.1/30"
  }
  end "gw2" {
    interface = "vti3"
    inside    = "169.254.20.2/30"
  }
}
