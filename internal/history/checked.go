package history

import (
	"bytes"
	"errors"
	"io"

	"github.com/go-git/go-git/v5/plumbing"
)

// checkedObject hands go-git's decoders (object.Tree.Decode,
// object.Commit.Decode) the content of an object a reader has already
// checked against its name: the decoders take the object's hash from
// Hash, and a plumbing.MemoryObject would copy the content and hash it
// again.
type checkedObject struct {
	t    plumbing.ObjectType
	h    plumbing.Hash
	data []byte
}

func (o *checkedObject) Hash() plumbing.Hash           { return o.h }
func (o *checkedObject) Type() plumbing.ObjectType     { return o.t }
func (o *checkedObject) SetType(t plumbing.ObjectType) { o.t = t }
func (o *checkedObject) Size() int64                   { return int64(len(o.data)) }
func (o *checkedObject) SetSize(int64)                 {}
func (o *checkedObject) Reader() (io.ReadCloser, error) {
	return io.NopCloser(bytes.NewReader(o.data)), nil
}
func (o *checkedObject) Writer() (io.WriteCloser, error) {
	return nil, errors.New("a checked object is read-only")
}

// checked wraps data, the content of object h of type t, for go-git's
// decoders; h is go-git's name for it only in a SHA-1 repository (a
// decoder's Hash field is not read here).
func checked(t plumbing.ObjectType, h Hash, data []byte) *checkedObject {
	o := &checkedObject{t: t, data: data}
	if h.size() == sha1Len {
		o.h = toPlumbing(h)
	}
	return o
}
