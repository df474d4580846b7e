// Package summarycheck finds hcl.Diagnostic summaries that a person could
// not grep for: every summary must be written out at the place the
// diagnostic is made, as a string literal or a named string constant, so
// that searching the code for the message a user saw lands on the rule.
// It also holds summaries to Terraform's voice: a phrase without a final
// period.
//
// It reads source with go/parser and go/ast only, without type checking,
// and recognises two kinds of construction site:
//
//   - composite literals of hcl.Diagnostic (also behind &, and the elided
//     element literals of hcl.Diagnostics and []*hcl.Diagnostic);
//   - calls of helpers: functions or methods of the checked code with a
//     string parameter named summary, such as lang's errorAt;
//   - assignments to a field named Summary (x.Summary = ...), which
//     without types cannot be told from other structs' Summary fields and
//     are held to the same rule.
//
// Inside a helper the summary parameter itself may be passed on, since
// every call of the helper is checked in turn.
package summarycheck

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Problem is one summary that breaks the rules.
type Problem struct {
	Pos    token.Position
	Reason string
}

func (p Problem) String() string {
	return fmt.Sprintf("%s:%d: %s", p.Pos.Filename, p.Pos.Line, p.Reason)
}

// Result is what Check found: the problems and how many construction
// sites it looked at, so a caller can tell a clean tree from a checker
// that saw nothing.
type Result struct {
	Problems []Problem
	Sites    int      // diagnostics literals and helper calls checked
	Helpers  []string // "dir.name" of every helper found
}

// ModuleFiles returns the non-test .go files below root, skipping the
// directories the go command ignores (testdata, vendor, names starting
// with "." or "_").
func ModuleFiles(root string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (name == "testdata" || name == "vendor" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go") {
			out = append(out, path)
		}
		return nil
	})
	return out, err
}

// pkg is the files of one directory, Go's unit of unexported names.
type pkg struct {
	files  []*ast.File
	consts map[string]string // package-level string constants
	// helpers maps a function or method name to the index of its
	// summary parameter.
	helpers map[string]int
}

// Check parses files and reports every summary that is not a literal or a
// constant, and every summary text that ends with a period. Files are
// grouped into packages by directory. A call of another package's helper
// is recognised when that package is module's (the module path) and lies
// below root; module may be "".
func Check(files []string, root, module string) (Result, error) {
	fset := token.NewFileSet()
	pkgs := map[string]*pkg{}
	var dirs []string
	for _, name := range files {
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			return Result{}, err
		}
		dir := filepath.Clean(filepath.Dir(name))
		p := pkgs[dir]
		if p == nil {
			p = &pkg{consts: map[string]string{}, helpers: map[string]int{}}
			pkgs[dir] = p
			dirs = append(dirs, dir)
		}
		p.files = append(p.files, f)
	}
	sort.Strings(dirs)

	var res Result
	// methods holds every helper that is a method, by name: a call
	// x.name(...) cannot be told apart from other methods without types,
	// so any method call of that name is checked.
	methods := map[string]int{}
	for _, dir := range dirs {
		p := pkgs[dir]
		for _, f := range p.files {
			collectConsts(f, p.consts)
			for _, decl := range f.Decls {
				fn, ok := decl.(*ast.FuncDecl)
				if !ok {
					continue
				}
				if i := summaryParam(fn.Type); i >= 0 {
					if fn.Recv != nil {
						methods[fn.Name.Name] = i
					} else {
						p.helpers[fn.Name.Name] = i
					}
					res.Helpers = append(res.Helpers, filepath.Base(dir)+"."+fn.Name.Name)
				}
			}
		}
	}

	for _, dir := range dirs {
		p := pkgs[dir]
		for _, f := range p.files {
			c := &checker{fset: fset, pkg: p, pkgs: pkgs, methods: methods, imports: importDirs(f, filepath.Clean(root), module),
				hcl: hclName(f), res: &res}
			c.file(f)
		}
	}
	sort.Slice(res.Problems, func(i, j int) bool {
		a, b := res.Problems[i].Pos, res.Problems[j].Pos
		if a.Filename != b.Filename {
			return a.Filename < b.Filename
		}
		return a.Line < b.Line
	})
	return res, nil
}

// CheckModule checks ModuleFiles(root), root being the directory of
// go.mod.
func CheckModule(root string) (Result, error) {
	mod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return Result{}, err
	}
	module := ""
	for _, line := range strings.Split(string(mod), "\n") {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "module "); ok {
			module = strings.Trim(strings.TrimSpace(rest), `"`)
		}
	}
	if module == "" {
		return Result{}, fmt.Errorf("%s/go.mod names no module", root)
	}
	files, err := ModuleFiles(root)
	if err != nil {
		return Result{}, err
	}
	return Check(files, root, module)
}

// ModuleRoot returns the directory holding go.mod at or above dir.
func ModuleRoot(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		up := filepath.Dir(dir)
		if up == dir {
			return "", fmt.Errorf("no go.mod at or above %s", dir)
		}
		dir = up
	}
}

// collectConsts records the string constants declared at the top of f.
func collectConsts(f *ast.File, into map[string]string) {
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			for i, name := range vs.Names {
				if i < len(vs.Values) {
					if s, ok := stringLit(vs.Values[i]); ok {
						into[name.Name] = s
					}
				}
			}
		}
	}
}

// summaryParam returns the index of a string parameter named summary, or
// -1.
func summaryParam(ft *ast.FuncType) int {
	i := 0
	for _, field := range ft.Params.List {
		n := max(len(field.Names), 1)
		for j, name := range field.Names {
			if name.Name == "summary" && isIdent(field.Type, "string") {
				return i + j
			}
		}
		i += n
	}
	return -1
}

// importDirs maps the local names of f's imports of module packages to
// their directories below root.
func importDirs(f *ast.File, root, module string) map[string]string {
	out := map[string]string{}
	if module == "" {
		return out
	}
	for _, imp := range f.Imports {
		path, _ := strconv.Unquote(imp.Path.Value)
		rest, ok := strings.CutPrefix(path, module)
		if !ok || (rest != "" && rest[0] != '/') {
			continue
		}
		name := filepath.Base(path)
		if imp.Name != nil {
			name = imp.Name.Name
		}
		out[name] = filepath.Join(root, filepath.FromSlash(rest))
	}
	return out
}

// hclName returns the name f refers to hcl/v2 by, or "" if it does not
// import it.
func hclName(f *ast.File) string {
	for _, imp := range f.Imports {
		if path, _ := strconv.Unquote(imp.Path.Value); path == "github.com/hashicorp/hcl/v2" {
			if imp.Name != nil {
				return imp.Name.Name
			}
			return "hcl"
		}
	}
	return ""
}

type checker struct {
	fset    *token.FileSet
	hcl     string // the file's name for package hcl
	pkg     *pkg
	pkgs    map[string]*pkg
	methods map[string]int
	imports map[string]string
	res     *Result
	// own is the name of the summary parameter of the helper being
	// walked, which may be passed on; "" outside helpers.
	own string
}

func (c *checker) file(f *ast.File) {
	for _, decl := range f.Decls {
		fn, ok := decl.(*ast.FuncDecl)
		if !ok {
			ast.Inspect(decl, c.visit)
			continue
		}
		c.own = ""
		if summaryParam(fn.Type) >= 0 {
			c.own = "summary"
		}
		ast.Inspect(fn, c.visit)
	}
}

func (c *checker) visit(n ast.Node) bool {
	switch n := n.(type) {
	case *ast.CompositeLit:
		switch {
		case c.isHCL(n.Type, "Diagnostic"):
			c.diagnosticLit(n)
		case c.isHCL(n.Type, "Diagnostics") || c.isDiagSlice(n.Type):
			for _, elt := range n.Elts {
				if u, ok := elt.(*ast.UnaryExpr); ok && u.Op == token.AND {
					elt = u.X
				}
				if cl, ok := elt.(*ast.CompositeLit); ok && cl.Type == nil {
					c.diagnosticLit(cl)
				}
			}
		}
	case *ast.AssignStmt:
		for i, lhs := range n.Lhs {
			if sel, ok := lhs.(*ast.SelectorExpr); ok && sel.Sel.Name == "Summary" && len(n.Rhs) == len(n.Lhs) {
				c.res.Sites++
				c.summary(n.Rhs[i], "Summary")
			}
		}
	case *ast.CallExpr:
		if i, ok := c.helperIndex(n.Fun); ok && i < len(n.Args) {
			c.res.Sites++
			c.summary(n.Args[i], "summary argument")
		}
	}
	return true
}

// helperIndex says whether fun names a helper, and the index of its
// summary argument.
func (c *checker) helperIndex(fun ast.Expr) (int, bool) {
	switch f := fun.(type) {
	case *ast.Ident:
		i, ok := c.pkg.helpers[f.Name]
		return i, ok
	case *ast.SelectorExpr:
		if x, ok := f.X.(*ast.Ident); ok {
			if dir, ok := c.imports[x.Name]; ok {
				if p := c.pkgs[dir]; p != nil {
					i, ok := p.helpers[f.Sel.Name]
					return i, ok
				}
				return 0, false
			}
		}
		i, ok := c.methods[f.Sel.Name]
		return i, ok
	}
	return 0, false
}

func (c *checker) diagnosticLit(cl *ast.CompositeLit) {
	c.res.Sites++
	for _, elt := range cl.Elts {
		kv, ok := elt.(*ast.KeyValueExpr)
		if !ok {
			c.problem(cl, "hcl.Diagnostic literal without field names")
			return
		}
		if isIdent(kv.Key, "Summary") {
			c.summary(kv.Value, "Summary")
			return
		}
	}
	c.problem(cl, "hcl.Diagnostic literal without a Summary")
}

// summary checks one summary expression.
func (c *checker) summary(e ast.Expr, what string) {
	for {
		p, ok := e.(*ast.ParenExpr)
		if !ok {
			break
		}
		e = p.X
	}
	var text string
	switch e := e.(type) {
	case *ast.BasicLit:
		s, ok := stringLit(e)
		if !ok {
			c.problem(e, what+" is not a string literal")
			return
		}
		text = s
	case *ast.Ident:
		if c.own != "" && e.Name == c.own {
			return // a helper passing its own parameter on
		}
		s, ok := c.pkg.consts[e.Name]
		if !ok {
			c.problem(e, fmt.Sprintf("%s %s is not a string literal or a named string constant", what, e.Name))
			return
		}
		text = s
	default:
		c.problem(e, fmt.Sprintf("%s %s is built at run time; write the whole summary as a string literal", what, c.source(e)))
		return
	}
	switch {
	case text == "":
		c.problem(e, what+" is empty")
	case strings.HasSuffix(text, "."):
		c.problem(e, fmt.Sprintf("%s %q ends with a period; a summary is a short phrase", what, text))
	case strings.ContainsAny(text, "\r\n"):
		c.problem(e, fmt.Sprintf("%s %q spans lines", what, text))
	}
}

func (c *checker) problem(n ast.Node, reason string) {
	c.res.Problems = append(c.res.Problems, Problem{Pos: c.fset.Position(n.Pos()), Reason: reason})
}

// source returns a short rendering of e for messages.
func (c *checker) source(e ast.Expr) string {
	start, end := c.fset.Position(e.Pos()), c.fset.Position(e.End())
	b, err := os.ReadFile(start.Filename)
	if err != nil || end.Offset > len(b) {
		return "(expression)"
	}
	s := string(b[start.Offset:end.Offset])
	if len(s) > 60 {
		s = s[:57] + "..."
	}
	return s
}

func stringLit(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}

func isIdent(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}

// isHCL says whether e is hcl.<name>.
func (c *checker) isHCL(e ast.Expr, name string) bool {
	sel, ok := e.(*ast.SelectorExpr)
	return ok && c.hcl != "" && isIdent(sel.X, c.hcl) && sel.Sel.Name == name
}

// isDiagSlice says whether e is []hcl.Diagnostic or []*hcl.Diagnostic.
func (c *checker) isDiagSlice(e ast.Expr) bool {
	at, ok := e.(*ast.ArrayType)
	if !ok {
		return false
	}
	elt := at.Elt
	if st, ok := elt.(*ast.StarExpr); ok {
		elt = st.X
	}
	return c.isHCL(elt, "Diagnostic")
}
