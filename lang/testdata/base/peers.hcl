peer "aws1" {
  provider = "aws"
  outside  = "52.25.31.90"
  asn      = 64512
}

peer "azure1" {
  provider = "azure"
  outside  = "20.50.1.1"
  asn      = 65515
}

peer "far" {
  outside = "198.51.100.7"
}

peer "far6" {
  outside = "2001:db8::7"
}
