# Plane 2: the second router of every site.

tunnel "a2-b2" {
  mark = 12
  psk  = file("secrets/a2-b2.psk")

  end "a2" {
    interface = "vti1"
    inside    = "169.254.201.1/30"
  }
  end "b2" {
    interface = "vti1"
    inside    = "169.254.201.2/30"
  }
}

tunnel "a2-c2" {
  mark = 24
  psk  = file("secrets/a2-c2.psk")

  end "a2" {
    interface = "vti2"
    inside    = "169.254.202.1/30"
  }
  end "c2" {
    interface = "vti1"
    inside    = "169.254.202.2/30"
  }
}

tunnel "b2-c2" {
  mark = 36
  psk  = file("secrets/b2-c2.psk")

  end "b2" {
    interface = "vti2"
    inside    = "169.254.203.1/30"
  }
  end "c2" {
    interface = "vti2"
    inside    = "169.254.203.2/30"
  }
}
