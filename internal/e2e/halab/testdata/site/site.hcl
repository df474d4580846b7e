# The BFD scenario of halab: the router "branch" has two tunnels to one
# stand-in peer that, like a cloud VPN gateway, ends them on two outside
# addresses (peer-t1, peer-t2 are its two ends). BFD watches both BGP
# sessions.

router "branch" {
  asn      = 65001
  outside  = "192.0.2.1"
  gateway  = "192.0.2.254"
  announce = ["10.1.0.0/16"]
}

peer "peer-t1" {
  outside = "203.0.113.1"
  asn     = 64512
}

peer "peer-t2" {
  outside = "203.0.113.2"
  asn     = 64512
}

tunnel "branch-t1" {
  psk = file("secrets/branch-t1.psk")
  bfd = true

  end "branch" {
    interface = "vti1"
    inside    = "169.254.50.1/30"
  }
  end "peer-t1" {
    inside = "169.254.50.2/30"
  }
}

tunnel "branch-t2" {
  psk = file("secrets/branch-t2.psk")
  bfd = true

  end "branch" {
    interface = "vti2"
    inside    = "169.254.50.5/30"
  }
  end "peer-t2" {
    inside = "169.254.50.6/30"
  }
}
