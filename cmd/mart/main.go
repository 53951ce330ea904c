// Command mart builds SQL data marts. See the README.
package main

import (
	"os"

	"github.com/mart-dev/mart/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
