tunnel "gw1-gw2" {
  psk = env("PSK")

  end "gw1" {
    interface = "vti1"
    inside    = "169.254.20.1/30"
  }
  end "gw2" {
    interface = "vti1"
    inside    = "169.254.20.2/30"
  }
}

tunnel "gw1-aws1" {
  mark = 100
  psk  = file("secrets/gw1-aws1.psk")

  end "gw1" {
    interface = "vti9"
    inside    = "169.254.13.22/30"
  }
  end "aws1" {
    inside = "169.254.13.21/30"
  }
}
