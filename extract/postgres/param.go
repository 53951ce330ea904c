package postgres

import (
	"encoding/hex"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/mart-dev/mart/warehouse"
)

// paramText renders a position value (as a decoder made it) as the text
// PostgreSQL reads back as the same value of c's type.
func paramText(c column, v any) (string, error) {
	switch x := v.(type) {
	case time.Time:
		switch c.land.Kind {
		case warehouse.LandDate:
			return x.UTC().Format("2006-01-02"), nil
		case warehouse.LandTime:
			return x.UTC().Format("15:04:05.999999"), nil
		case warehouse.LandTimestamp:
			return x.UTC().Format("2006-01-02 15:04:05.999999"), nil
		}
		return x.UTC().Format("2006-01-02 15:04:05.999999Z07:00"), nil
	case int64:
		if c.land.Kind == warehouse.LandDecimal {
			return scaled(big.NewInt(x), c.land.Scale), nil
		}
		return strconv.FormatInt(x, 10), nil
	case *big.Int:
		return scaled(x, c.land.Scale), nil
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64), nil
	case string:
		return x, nil
	case bool:
		return strconv.FormatBool(x), nil
	case []byte:
		if c.land.Kind == warehouse.LandUUID && len(x) == 16 {
			h := hex.EncodeToString(x)
			return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:], nil
		}
		return `\x` + hex.EncodeToString(x), nil
	}
	return "", fmt.Errorf("a value of type %T cannot be a position", v)
}

// scaled renders an unscaled decimal at scale as decimal text.
func scaled(v *big.Int, scale int) string {
	s := new(big.Int).Abs(v).String()
	if scale > 0 {
		if len(s) <= scale {
			s = strings.Repeat("0", scale-len(s)+1) + s
		}
		s = s[:len(s)-scale] + "." + s[len(s)-scale:]
	}
	if v.Sign() < 0 {
		s = "-" + s
	}
	return s
}

func equalFold(a, b string) bool { return strings.EqualFold(a, b) }
