// Package fakerec is the recording half of vtic's in-memory fakes
// (apply/netdev, apply/charon, apply/frrreload, apply/firewall): a
// transcript of the writes a fake performed, one line each, and a table of
// failures a test injects by line.
//
// A fake embeds a Recorder and routes every write through Do, so that the
// fakes share one meaning of FailOn, ClearFailures, Transcript and
// ResetTranscript. A test then applies a sequence of states to the fake and
// compares the transcript with the lines it expects.
package fakerec
