# The bad line runs "1" as a command, yet the last line leaves status 0.
VTIC_SITE=edge 1
VTIC_OTHER=ok
