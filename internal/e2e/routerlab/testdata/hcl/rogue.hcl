# A configuration FRR rejects although vtic validate cannot fault it: a
# tunnel to a peer whose inside address is the router's own LAN address
# (lan0, which the site does not know). bgpd refuses a neighbor that is a
# local address ("Can not configure the local system as neighbor"), so the
# FRR step of vtic apply fails on gw1 (FRR in integrated mode) and on gw3
# (per-daemon mode).

peer "rogue1" {
  outside = "198.18.7.1"
  asn     = 65091
}

peer "rogue3" {
  outside = "198.18.7.3"
  asn     = 65093
}

tunnel "gw1-rogue1" {
  mark = 91
  psk  = file("secrets/rogue.psk")

  end "gw1" {
    interface = "vti91"
    inside    = "10.1.0.2/30"
  }
  end "rogue1" {
    inside = "10.1.0.1/30"
  }
}

tunnel "gw3-rogue3" {
  mark = 93
  psk  = file("secrets/rogue.psk")

  end "gw3" {
    interface = "vti93"
    inside    = "10.3.0.2/30"
  }
  end "rogue3" {
    inside = "10.3.0.1/30"
  }
}
