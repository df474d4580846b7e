# Routers running different daemons, from one declaration: ls1 runs
# libreswan and BIRD, ss1 strongSwan and FRR (the defaults). ls1 also has a
# tunnel to AWS, whose preset's MODP-1024 fallback libreswan 4 cannot offer
# (its rendered ipsec.conf says so).

router "ls1" {
  asn      = 65101
  outside  = "192.0.2.11"
  gateway  = "192.0.2.254"
  announce = ["10.11.0.0/16"]
  ike      = "libreswan"
  routing  = "bird"
}

router "ss1" {
  asn      = 65102
  outside  = "203.0.113.12"
  gateway  = "203.0.113.254"
  announce = ["10.12.0.0/16"]
}

peer "aws1" {
  provider = "aws"
  outside  = "52.25.31.91"
  asn      = 64512
}

tunnel "ls1-ss1" {
  mark        = 40
  psk         = file("secrets/ls1-ss1.psk")
  description = "libreswan to strongSwan"
  options = {
    dpd_delay = "5s"
  }

  end "ls1" {
    interface = "vti4"
    inside    = "169.254.40.1/30"
  }
  end "ss1" {
    interface = "vti4"
    inside    = "169.254.40.2/30"
  }
}

tunnel "ls1-aws1" {
  psk = file("secrets/ls1-aws1.psk")

  end "ls1" {
    interface = "vti5"
    inside    = "169.254.41.2/30"
  }
  end "aws1" {
    inside = "169.254.41.1/30"
  }
}
