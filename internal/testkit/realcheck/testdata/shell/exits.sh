VTIC_SITE=edge-1
exit 0
