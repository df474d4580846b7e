# A branch router with two tunnels, one to each of two hub routers. BFD
# watches both BGP sessions, so when a path dies the branch's traffic moves
# to the other tunnel within about a second rather than after BGP's 30 s
# hold time. The hubs are a pair serving one LAN: VRRP keeps its gateway
# address on hub-a while hub-a is healthy, and hub-b's announcements are
# made longer, so the branch prefers hub-a's tunnel while both are up.

router "branch" {
  asn      = 65010
  outside  = "192.0.2.10"
  gateway  = "192.0.2.254"
  announce = ["10.10.0.0/16"]
}

router "hub-a" {
  asn      = 65001
  outside  = "203.0.113.1"
  gateway  = "203.0.113.254"
  announce = ["10.0.0.0/16"]
}

router "hub-b" {
  asn      = 65001
  outside  = "203.0.113.2"
  gateway  = "203.0.113.254"
  announce = ["10.0.0.0/16"]
}

tunnel "branch-hub-a" {
  psk = file("secrets/branch-hub-a.psk")
  bfd = true

  end "branch" {
    interface = "vti1"
    inside    = "169.254.40.1/30"
  }
  end "hub-a" {
    interface = "vti10"
    inside    = "169.254.40.2/30"
  }
}

tunnel "branch-hub-b" {
  psk = file("secrets/branch-hub-b.psk")
  bfd = true

  end "branch" {
    interface = "vti2"
    inside    = "169.254.40.5/30"
  }
  end "hub-b" {
    interface = "vti10"
    inside    = "169.254.40.6/30"
  }
}

pair "hub" {
  primary   = "hub-a"
  backup    = "hub-b"
  interface = "lan0"
  address   = "10.0.0.1/16"
  vrid      = 10
}
