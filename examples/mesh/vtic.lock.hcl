# What the pools of this site's mesh blocks handed out: each tunnel's mark,
# interfaces and inside addresses. Written by "vtic lock"; commit it with the
# site. vtic validate and vtic build fail when it does not match the mesh
# blocks. Editing an entry renumbers that tunnel on its routers.

mesh "plane1" {
  tunnel "a1-b1" {
    mark = 12
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
    end "b1" {
      interface = "vti2"
      inside    = "169.254.103.1/30"
    }
    end "c1" {
      interface = "vti2"
      inside    = "169.254.103.2/30"
    }
  }
}

mesh "plane2" {
  tunnel "a2-b2" {
    mark = 12
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
    end "b2" {
      interface = "vti2"
      inside    = "169.254.203.1/30"
    }
    end "c2" {
      interface = "vti2"
      inside    = "169.254.203.2/30"
    }
  }
}
