# A site for the graph's golden files: a router pair over a /31, a
# disabled tunnel to a peer without BGP, and a peer speaking BGP.
router "hub" {
  asn      = 65010
  outside  = "192.0.2.10"
  announce = ["10.10.0.0/16", "10.11.0.0/16"]
}

router "spoke" {
  asn     = 65020
  outside = "192.0.2.20"
}

peer "static-far" {
  outside = "198.51.100.7"
}

peer "aws-t1" {
  provider = "aws"
  outside  = "52.25.31.90"
  asn      = 64512
}

tunnel "hub-spoke" {
  psk = "inline.key.for.graph.tests"
  end "hub" {
    interface = "vti1"
    inside    = "169.254.50.0/31"
  }
  end "spoke" {
    interface = "vti1"
    inside    = "169.254.50.1/31"
  }
}

tunnel "hub-far" {
  psk     = "inline.key.for.graph.tests"
  enabled = false
  end "hub" {
    interface = "vti2"
    inside    = "169.254.51.2/30"
  }
  end "static-far" {
    inside = "169.254.51.1/30"
  }
}

tunnel "spoke-aws" {
  psk = "inline.key.for.graph.tests"
  end "spoke" {
    interface = "vti2"
    inside    = "169.254.13.22/30"
  }
  end "aws-t1" {
    inside = "169.254.13.21/30"
  }
}
