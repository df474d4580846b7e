# ls1 runs libreswan and BIRD, ss1 strongSwan and FRR (the defaults).
router "ls1" {
  asn      = 65101
  outside  = "192.0.2.11"
  gateway  = "192.0.2.254"
  announce = ["10.11.0.0/16"]
  ike      = "libreswan"
  routing  = "bird"
}

router "ss1" {
  asn      = 65102
  outside  = "203.0.113.12"
  gateway  = "203.0.113.254"
  announce = ["10.12.0.0/16"]
}
