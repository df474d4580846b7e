# Three sites, two routers per site. Router 1 of every site meshes with
# router 1 of the others, router 2 likewise: two independent planes, so a
# site keeps connectivity when one of its routers is down.

router "a1" {
  asn      = 65101
  outside  = "192.0.2.11"
  gateway  = "192.0.2.1"
  announce = ["10.101.0.0/16"]
}
router "a2" {
  asn      = 65101
  outside  = "192.0.2.12"
  gateway  = "192.0.2.1"
  announce = ["10.101.0.0/16"]
}
router "b1" {
  asn      = 65102
  outside  = "198.51.100.21"
  gateway  = "198.51.100.1"
  announce = ["10.102.0.0/16"]
}
router "b2" {
  asn      = 65102
  outside  = "198.51.100.22"
  gateway  = "198.51.100.1"
  announce = ["10.102.0.0/16"]
}
router "c1" {
  asn      = 65103
  outside  = "203.0.113.31"
  gateway  = "203.0.113.1"
  announce = ["10.103.0.0/16"]
}
router "c2" {
  asn      = 65103
  outside  = "203.0.113.32"
  gateway  = "203.0.113.1"
  announce = ["10.103.0.0/16"]
}
