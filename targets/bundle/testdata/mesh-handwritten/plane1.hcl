# Plane 1: the first router of every site.

tunnel "a1-b1" {
  mark = 12
  psk  = file("secrets/a1-b1.psk")

  end "a1" {
    interface = "vti1"
    inside    = "169.254.101.1/30"
  }
  end "b1" {
    interface = "vti1"
    inside    = "169.254.101.2/30"
  }
}

tunnel "a1-c1" {
  mark = 24
  psk  = file("secrets/a1-c1.psk")

  end "a1" {
    interface = "vti2"
    inside    = "169.254.102.1/30"
  }
  end "c1" {
    interface = "vti1"
    inside    = "169.254.102.2/30"
  }
}

tunnel "b1-c1" {
  mark = 36
  psk  = file("secrets/b1-c1.psk")

  end "b1" {
    interface = "vti2"
    inside    = "169.254.103.1/30"
  }
  end "c1" {
    interface = "vti2"
    inside    = "169.254.103.2/30"
  }
}
