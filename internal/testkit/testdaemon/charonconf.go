package testdaemon

import "fmt"

// charonConf returns the whole strongswan.conf of a charon private to one
// test, with its VICI socket at socket and its log at log. The host's
// plugin snippets are included so the same plugins load as on a router; the
// settings after them win. bypass-lan is off as on vtic's routers (see
// LAB-NOTES); stroke, resolve and updown are off because they would write
// under /etc or run scripts, which a test has no business doing.
func charonConf(socket, log string) []byte {
	return fmt.Appendf(nil, strongswanConf, socket, log)
}

const strongswanConf = `# written by vtic's testdaemon for one test
charon {
	load_modular = yes
	install_routes = no
	plugins {
		include /etc/strongswan.d/charon/*.conf
		vici {
			socket = unix://%[1]s
		}
		bypass-lan {
			load = no
		}
		stroke {
			load = no
		}
		resolve {
			load = no
		}
		updown {
			load = no
		}
	}
	filelog {
		test {
			path = %[2]s
			default = 1
			flush_line = yes
		}
	}
}
`
