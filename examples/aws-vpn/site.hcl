# One router with both tunnels of an AWS site-to-site VPN (vpn-05e0fe17),
# values from AWS's generic configuration download. AWS redacts the customer
# gateway's outside address in that file; 198.51.100.38 stands in for it.

router "gw1" {
  asn       = 65003
  router_id = "10.20.0.1"
  outside   = "198.51.100.38"
  gateway   = "198.51.100.1"
  announce  = ["10.20.0.0/16"]
}

peer "aws23-t1" {
  provider = "aws"
  outside  = "52.25.31.90"
  asn      = 7224
}

peer "aws23-t2" {
  provider = "aws"
  outside  = "52.39.14.106"
  asn      = 7224
}

tunnel "aws23-t1" {
  mtu         = 1436
  psk         = file("secrets/aws23-t1.psk")
  description = "aws23 dev2lab23gw02 GW1"

  end "gw1" {
    interface = "vti1"
    inside    = "169.254.13.22/30"
  }
  end "aws23-t1" {
    inside = "169.254.13.21/30"
  }
}

tunnel "aws23-t2" {
  mark        = 24
  mtu         = 1436
  psk         = file("secrets/aws23-t2.psk")
  description = "aws23 dev2lab23gw02 GW2"

  end "gw1" {
    interface = "vti2"
    inside    = "169.254.13.110/30"
  }
  end "aws23-t2" {
    inside = "169.254.13.109/30"
  }
}
