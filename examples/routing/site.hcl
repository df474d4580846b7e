# Routing per tunnel. gw1 reaches AWS over the two tunnels of one VPN and
# makes the first primary; it reaches a branch office, whose gateway speaks
# no BGP, through static routes; and it passes what it learns from AWS on
# to gw2, a router behind it.

router "gw1" {
  asn       = 65010
  router_id = "10.10.0.1"
  outside   = "198.51.100.10"
  gateway   = "198.51.100.1"
  announce  = ["10.10.0.0/16"]
}

router "gw2" {
  asn      = 65020
  outside  = "198.51.100.20"
  gateway  = "198.51.100.1"
  announce = ["10.20.0.0/16"]
}

peer "aws-t1" {
  provider = "aws"
  outside  = "52.25.31.90"
  asn      = 64512
}

peer "aws-t2" {
  provider = "aws"
  outside  = "52.39.14.106"
  asn      = 64512
}

peer "branch" {
  outside = "203.0.113.50"
}

tunnel "aws-t1" {
  psk = file("secrets/aws-t1.psk")

  end "gw1" {
    interface    = "vti1"
    inside       = "169.254.13.22/30"
    accept       = ["172.31.0.0/16 le 24"]
    announce     = ["10.10.0.0/16", "10.20.0.0/16"]
    max_prefixes = 100
    preference   = "primary"
  }
  end "aws-t1" {
    inside = "169.254.13.21/30"
  }
}

tunnel "aws-t2" {
  psk = file("secrets/aws-t2.psk")

  end "gw1" {
    interface    = "vti2"
    inside       = "169.254.13.110/30"
    accept       = ["172.31.0.0/16 le 24"]
    announce     = ["10.10.0.0/16", "10.20.0.0/16"]
    max_prefixes = 100
    preference   = "backup"
  }
  end "aws-t2" {
    inside = "169.254.13.109/30"
  }
}

tunnel "branch" {
  psk = file("secrets/branch.psk")

  end "gw1" {
    interface = "vti3"
    inside    = "169.254.30.1/30"
    routes    = ["10.30.0.0/16", { prefix = "10.31.0.0/16", metric = 200 }]
  }
  end "branch" {
    inside = "169.254.30.2/30"
  }
}

tunnel "gw1-gw2" {
  psk = file("secrets/gw1-gw2.psk")

  end "gw1" {
    interface = "vti4"
    inside    = "169.254.40.1/30"
    announce  = ["10.10.0.0/16", "172.31.0.0/16 le 24"] # transit: what AWS sent
  }
  end "gw2" {
    interface = "vti1"
    inside    = "169.254.40.2/30"
    accept    = ["10.10.0.0/16", "172.31.0.0/16 le 24"]
  }
}
