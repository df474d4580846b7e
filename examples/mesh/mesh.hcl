# Two planes: router 1 of every site meshes with router 1 of the others,
# router 2 likewise. Marks, interfaces and inside networks come from the
# pools and are pinned in vtic.lock.hcl.

mesh "plane1" {
  routers      = ["a1", "b1", "c1"]
  inside_pool  = "169.254.101.0 - 169.254.199.255"
  inside_every = 24
  psk          = file("secrets/${tunnel}.psk")
}

mesh "plane2" {
  routers      = ["a2", "b2", "c2"]
  inside_pool  = "169.254.201.0 - 169.254.255.255"
  inside_every = 24
  psk          = file("secrets/${tunnel}.psk")
}
