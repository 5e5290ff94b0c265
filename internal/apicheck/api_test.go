package apicheck

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// public are the packages users import.
var public = []string{"flowlog", "flowlog/driver", "flowlog/flowlogtest", "flowlog/ratelimit", "flowlog/ratelimit/redislimit", "aliyun", "cbn", "tencent"}

// parse returns the non-test files of the package at dir, relative to the
// module root.
func parse(t *testing.T, dir string) []*ast.File {
	t.Helper()
	fset := token.NewFileSet()
	entries, err := os.ReadDir(filepath.Join("..", "..", dir))
	require.NoError(t, err)
	var files []*ast.File
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join("..", "..", dir, e.Name()), nil, parser.SkipObjectResolution|parser.ParseComments)
		require.NoError(t, err)
		files = append(files, f)
	}
	return files
}

// internalNames returns the import names of f that refer to internal
// packages.
func internalNames(f *ast.File) map[string]bool {
	names := map[string]bool{}
	for _, imp := range f.Imports {
		path, _ := strconv.Unquote(imp.Path.Value)
		if !strings.Contains(path, "/internal/") && !strings.HasPrefix(path, "internal/") {
			continue
		}
		name := path[strings.LastIndex(path, "/")+1:]
		if imp.Name != nil {
			name = imp.Name.Name
		}
		names[name] = true
	}
	return names
}

// mentions reports the internal selectors (pkg.Name) in the expression n.
func mentions(n ast.Node, internal map[string]bool) []string {
	var out []string
	ast.Inspect(n, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok && internal[id.Name] {
				out = append(out, id.Name+"."+sel.Sel.Name)
			}
		}
		return true
	})
	return out
}

// No exported function, method, type or field of a package users import
// names a type of an internal package: users could not name it.
func TestNoExportedSignatureNamesAnInternalType(t *testing.T) {
	for _, dir := range public {
		for _, f := range parse(t, dir) {
			internal := internalNames(f)
			for _, decl := range f.Decls {
				switch d := decl.(type) {
				case *ast.FuncDecl:
					if !d.Name.IsExported() || (d.Recv != nil && !exportedRecv(d.Recv)) {
						continue
					}
					for _, m := range mentions(d.Type, internal) {
						t.Errorf("%s: func %s names %s", dir, d.Name.Name, m)
					}
				case *ast.GenDecl:
					for _, spec := range d.Specs {
						ts, ok := spec.(*ast.TypeSpec)
						if !ok || !ts.Name.IsExported() {
							continue
						}
						for _, m := range exportedMentions(ts.Type, internal) {
							t.Errorf("%s: type %s names %s", dir, ts.Name.Name, m)
						}
					}
				}
			}
		}
	}
}

func exportedRecv(recv *ast.FieldList) bool {
	typ := recv.List[0].Type
	if star, ok := typ.(*ast.StarExpr); ok {
		typ = star.X
	}
	if idx, ok := typ.(*ast.IndexExpr); ok {
		typ = idx.X
	}
	id, ok := typ.(*ast.Ident)
	return ok && id.IsExported()
}

// exportedMentions is mentions for a type's definition, leaving out its
// unexported fields, which users cannot reach.
func exportedMentions(typ ast.Expr, internal map[string]bool) []string {
	st, ok := typ.(*ast.StructType)
	if !ok {
		return mentions(typ, internal)
	}
	var out []string
	for _, field := range st.Fields.List {
		exported := len(field.Names) == 0 // embedded
		for _, n := range field.Names {
			exported = exported || n.IsExported()
		}
		if exported {
			out = append(out, mentions(field.Type, internal)...)
		}
	}
	return out
}

// options returns the names of the package's exported With... functions.
func options(t *testing.T, dir string) []string {
	var out []string
	for _, f := range parse(t, dir) {
		for _, decl := range f.Decls {
			if d, ok := decl.(*ast.FuncDecl); ok && d.Recv == nil && strings.HasPrefix(d.Name.Name, "With") {
				out = append(out, d.Name.Name)
			}
		}
	}
	slices.Sort(out)
	return out
}

// The adapters spell the same setting the same way: the two Alibaba
// adapters have the same options, and Tencent's shared ones have the same
// names; only the providers' own words for a static key differ (an
// AccessKey, a SecretKey), and Tencent's international site is its own.
func TestAdaptersSpellTheSameOptionTheSameWay(t *testing.T) {
	shared := []string{"WithCredentialsProvider", "WithEndpoint", "WithHTTPTransport", "WithLimiter", "WithRateLimit", "WithSTSToken"}
	assert.Equal(t, options(t, "aliyun"), options(t, "cbn"))
	assert.Equal(t, sorted(append(slices.Clone(shared), "WithAccessKey")), options(t, "aliyun"))
	assert.Equal(t, sorted(append(slices.Clone(shared), "WithInternational", "WithSecretKey")), options(t, "tencent"))
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// doc returns the doc comment of the package's function name.
func doc(t *testing.T, dir, name string) string {
	for _, f := range parse(t, dir) {
		for _, decl := range f.Decls {
			if d, ok := decl.(*ast.FuncDecl); ok && d.Recv == nil && d.Name.Name == name && d.Doc != nil {
				return d.Doc.Text()
			}
		}
	}
	return ""
}

// WithLimiter means the same in every adapter, so it says the same.
func TestWithLimiterIsDocumentedTheSameWay(t *testing.T) {
	want := doc(t, "tencent", "WithLimiter")
	require.NotEmpty(t, want)
	for _, dir := range []string{"aliyun", "cbn"} {
		assert.Equal(t, want, doc(t, dir, "WithLimiter"), dir)
	}
}
