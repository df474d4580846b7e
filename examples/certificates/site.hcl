# Two routers that authenticate with certificates instead of a pre-shared
# key. `vtic pki examples/certificates` made pki/: a lab authority and a
# certificate for each router, whose subjectAltNames are the router's id
# and outside address. A real site keeps pki/*.key out of version control;
# this example commits them so that its build is reproducible.

ca "lab" {
  cert = file("pki/ca.crt")
}

router "gw1" {
  asn      = 65001
  outside  = "192.0.2.1"
  announce = ["10.1.0.0/16"]
  id       = "gw1.example.net"
  cert     = file("pki/gw1.crt")
  key      = file("pki/gw1.key")
}

router "gw2" {
  asn      = 65002
  outside  = "203.0.113.1"
  announce = ["10.2.0.0/16"]
  id       = "gw2.example.net"
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
