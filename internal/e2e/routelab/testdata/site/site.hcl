# The routelab site: gw1 reaches a stand-in for an AWS VPN (the lab router
# "aws", configured by hand as AWS is: vtic does not manage it) over two
# tunnels with BGP, the first primary; and br, a router without BGP, over a
# tunnel with static routes on both ends.

router "gw1" {
  asn      = 65001
  outside  = "192.0.2.1"
  gateway  = "192.0.2.254"
  announce = ["10.1.0.0/16"]
}

router "br" {
  outside = "203.0.113.50"
  gateway = "203.0.113.254"
}

peer "aws-t1" {
  provider = "aws"
  outside  = "198.18.0.1"
  asn      = 64512
}

peer "aws-t2" {
  provider = "aws"
  outside  = "198.18.0.2"
  asn      = 64512
}

tunnel "aws-t1" {
  psk = file("secrets/aws-t1.psk")

  end "gw1" {
    interface    = "vti1"
    inside       = "169.254.10.2/30"
    accept       = ["172.31.0.0/16 le 24"]
    max_prefixes = 50
    preference   = "primary"
  }
  end "aws-t1" {
    inside = "169.254.10.1/30"
  }
}

tunnel "aws-t2" {
  psk = file("secrets/aws-t2.psk")

  end "gw1" {
    interface    = "vti2"
    inside       = "169.254.11.2/30"
    accept       = ["172.31.0.0/16 le 24"]
    max_prefixes = 50
    preference   = "backup"
  }
  end "aws-t2" {
    inside = "169.254.11.1/30"
  }
}

tunnel "gw1-br" {
  psk = file("secrets/gw1-br.psk")

  end "gw1" {
    interface = "vti3"
    inside    = "169.254.30.1/30"
    routes    = ["10.30.0.0/16"]
  }
  end "br" {
    interface = "vti1"
    inside    = "169.254.30.2/30"
    routes    = ["10.1.0.0/16"]
  }
}
