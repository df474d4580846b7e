package bundle

import (
	"runtime"
	"sync"

	"github.com/vtic/vtic/compile"
	"github.com/vtic/vtic/targets"
)

// RenderEach renders every host, one worker per CPU (routers are
// independent), and hands each router's output to use, which runs on the
// worker and so must be safe to call concurrently; i is the host's index.
// A router's files can leave memory once use returns. The error is the
// first in host order, whatever the scheduling, from rendering or from use.
func RenderEach(hosts []*compile.Host, use func(i int, files []targets.File, m *Manifest) error) error {
	errs := make([]error, len(hosts))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(len(hosts), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				files, m, err := Render(hosts[i])
				if err == nil {
					err = use(i, files, m)
				}
				errs[i] = err
			}
		}()
	}
	for i := range hosts {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
