# A third tunnel, gw2 to gw3, applied to both routers at the same moment.

tunnel "gw2-gw3" {
  mark        = 23
  mtu         = 1400
  psk         = file("secrets/gw2-gw3.psk")
  description = "gw2 to gw3"

  end "gw2" {
    interface = "vti23"
    inside    = "169.254.23.1/30"
  }
  end "gw3" {
    interface = "vti32"
    inside    = "169.254.23.2/30"
  }
}
