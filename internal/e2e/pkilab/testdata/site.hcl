# The lab's certificate site: gw1 and gw2 authenticate with certificates
# that TestPKILab makes with `vtic pki` before the boot.

ca "lab" {
  cert = file("pki/ca.crt")
}

router "gw1" {
  asn      = 65001
  outside  = "192.0.2.1"
  gateway  = "192.0.2.254"
  announce = ["10.1.0.0/16"]
  id       = "gw1.example.net"
  cert     = file("pki/gw1.crt")
  key      = file("pki/gw1.key")
}

router "gw2" {
  asn      = 65002
  outside  = "203.0.113.1"
  gateway  = "203.0.113.254"
  announce = ["10.2.0.0/16"]
  id       = "GW2_ID"
  cert     = file("pki/gw2.crt")
  key      = file("pki/gw2.key")
}

tunnel "gw1-gw2" {
  auth = "pubkey"

  end "gw1" {
    interface = "vti1"
    inside    = "169.254.30.1/30"
  }
  end "gw2" {
    interface = "vti1"
    inside    = "169.254.30.2/30"
  }
}
