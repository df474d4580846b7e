# Every tunnel of site-v2 with a lower MTU: a change for every router, rolled
# out by the Ansible playbook (site-v3, with routers-gw2-bad-gateway.hcl).

tunnel "gw1-gw2" {
  mark        = 12
  mtu         = 1380
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
  mtu         = 1380
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

tunnel "gw2-gw3" {
  mark        = 23
  mtu         = 1380
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
