# The tunnels of a fresh rollout: gw1 to gw2 (both FRR in integrated mode)
# and gw1 to gw3 (FRR in per-daemon mode).

tunnel "gw1-gw2" {
  mark        = 12
  mtu         = 1400
  psk         = file("secrets/gw1-gw2.psk")
  description = "gw1 to gw2"

  end "gw1" {
    interface = "vti12"
    inside    = "169.254.12.1/30"
  }
  end "gw2" {
    interface = "vti21"
    inside    = "169.254.12.2/30"
  }
}

tunnel "gw1-gw3" {
  mark        = 13
  mtu         = 1400
  psk         = file("secrets/gw1-gw3.psk")
  description = "gw1 to gw3"

  end "gw1" {
    interface = "vti13"
    inside    = "169.254.13.1/30"
  }
  end "gw3" {
    interface = "vti31"
    inside    = "169.254.13.2/30"
  }
}
