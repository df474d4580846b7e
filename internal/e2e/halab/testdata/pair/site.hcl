# The pair scenario of halab: gwa and gwb are a pair serving the LAN
# 10.5.0.0/16 (gateway 10.5.0.1, held by VRRP); each has a tunnel to the
# far router "far", whose LAN is 10.6.0.0/16. BFD watches both sessions.

router "gwa" {
  asn      = 65001
  outside  = "192.0.2.11"
  gateway  = "192.0.2.254"
  announce = ["10.5.0.0/16"]
}

router "gwb" {
  asn      = 65001
  outside  = "192.0.2.12"
  gateway  = "192.0.2.254"
  announce = ["10.5.0.0/16"]
}

router "far" {
  asn      = 65002
  outside  = "198.51.100.1"
  gateway  = "198.51.100.254"
  announce = ["10.6.0.0/16"]
}

pair "lan5" {
  primary   = "gwa"
  backup    = "gwb"
  interface = "lan0"
  address   = "10.5.0.1/16"
  vrid      = 5
}

tunnel "far-gwa" {
  psk = file("secrets/far-gwa.psk")
  bfd = true

  end "far" {
    interface = "vti1"
    inside    = "169.254.60.1/30"
  }
  end "gwa" {
    interface = "vti1"
    inside    = "169.254.60.2/30"
  }
}

tunnel "far-gwb" {
  psk = file("secrets/far-gwb.psk")
  bfd = true

  end "far" {
    interface = "vti2"
    inside    = "169.254.60.5/30"
  }
  end "gwb" {
    interface = "vti1"
    inside    = "169.254.60.6/30"
  }
}
