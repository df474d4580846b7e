// Package gitrev reads a directory of a git work tree as it is in a
// revision, from git's objects and without a checkout: the directory's
// files in a commit (Tree) and their contents (Blobs, one long-running
// `git cat-file --batch` for any number of files). It also finds the
// revision a change is usually compared against (DefaultBase).
//
// It runs the git program; nothing here knows what the files mean.
package gitrev
