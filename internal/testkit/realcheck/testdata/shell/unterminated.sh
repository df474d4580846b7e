VTIC_SITE='edge-1
