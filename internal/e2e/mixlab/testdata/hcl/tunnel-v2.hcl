tunnel "ls1-ss1" {
  mark        = 40
  psk         = file("secrets/ls1-ss1.psk")
  description = "libreswan to strongSwan"
  options = {
    dpd_delay = "7s"
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
