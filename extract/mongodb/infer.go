package mongodb

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/mart-dev/mart/warehouse"
)

// idColumn is the landed _id: text whatever its BSON type.
const idColumn = "_id"

var (
	textType = warehouse.LandType{Kind: warehouse.LandText}
	jsonType = warehouse.LandType{Kind: warehouse.LandJSON}
)

// typeOf is the landed type of one BSON value (ok false for null).
func typeOf(t bson.Type) (warehouse.LandType, bool) {
	k := func(k warehouse.LandKind) (warehouse.LandType, bool) { return warehouse.LandType{Kind: k}, true }
	switch t {
	case bson.TypeNull, bson.TypeUndefined:
		return warehouse.LandType{}, false
	case bson.TypeDouble:
		return k(warehouse.LandFloat64)
	case bson.TypeInt32:
		return k(warehouse.LandInt32)
	case bson.TypeInt64:
		return k(warehouse.LandInt64)
	case bson.TypeBoolean:
		return k(warehouse.LandBool)
	case bson.TypeDateTime:
		return k(warehouse.LandTimestampTZ)
	case bson.TypeBinary:
		return k(warehouse.LandBytes)
	case bson.TypeEmbeddedDocument, bson.TypeArray:
		return k(warehouse.LandJSON)
	}
	return k(warehouse.LandText) // strings, ObjectIds, decimals and the rest, as text
}

// join is the narrowest landed type holding values of types a and b:
// integers widen to int64 then to float64 beside doubles; JSON holds
// anything; other mixes are text.
func join(a, b warehouse.LandType) warehouse.LandType {
	if a.Kind == b.Kind {
		return a
	}
	num := func(t warehouse.LandType) int {
		return map[warehouse.LandKind]int{warehouse.LandInt32: 1, warehouse.LandInt64: 2, warehouse.LandFloat64: 3}[t.Kind]
	}
	switch {
	case num(a) > 0 && num(b) > 0:
		if num(a) > num(b) {
			return a
		}
		return b
	case a.Kind == warehouse.LandJSON || b.Kind == warehouse.LandJSON:
		return jsonType
	}
	return textType
}

// parseType reads back a type a state recorded (LandType.String()).
func parseType(s string) (warehouse.LandType, bool) {
	for _, k := range []warehouse.LandKind{warehouse.LandText, warehouse.LandBool, warehouse.LandInt32, warehouse.LandInt64,
		warehouse.LandFloat64, warehouse.LandTimestampTZ, warehouse.LandBytes, warehouse.LandJSON} {
		if t := (warehouse.LandType{Kind: k}); t.String() == s {
			return t, true
		}
	}
	return warehouse.LandType{}, false
}

// value converts a BSON value to the Go value of landed type t.
func value(v bson.RawValue, t warehouse.LandType) (any, error) {
	switch v.Type {
	case 0, bson.TypeNull, bson.TypeUndefined: // 0: the field is missing
		return nil, nil
	}
	switch t.Kind {
	case warehouse.LandInt32, warehouse.LandInt64:
		if i, ok := v.AsInt64OK(); ok {
			return i, nil
		}
	case warehouse.LandFloat64:
		if f, ok := v.DoubleOK(); ok {
			return f, nil
		}
		if i, ok := v.AsInt64OK(); ok {
			return float64(i), nil
		}
	case warehouse.LandBool:
		if b, ok := v.BooleanOK(); ok {
			return b, nil
		}
	case warehouse.LandTimestampTZ:
		if ms, ok := v.DateTimeOK(); ok {
			return time.UnixMilli(ms).UTC(), nil
		}
	case warehouse.LandBytes:
		if _, b, ok := v.BinaryOK(); ok {
			return append([]byte(nil), b...), nil
		}
	case warehouse.LandJSON:
		return extJSON(v)
	case warehouse.LandText:
		return text(v)
	}
	return nil, fmt.Errorf("a %s value in a %s column", v.Type, t)
}

// text renders a scalar as text: strings as they are, ObjectIds in hex,
// numbers and dates plainly, anything else as relaxed extended JSON.
func text(v bson.RawValue) (any, error) {
	switch v.Type {
	case bson.TypeString:
		return v.StringValue(), nil
	case bson.TypeObjectID:
		id := v.ObjectID()
		return hex.EncodeToString(id[:]), nil
	case bson.TypeInt32, bson.TypeInt64:
		return strconv.FormatInt(v.AsInt64(), 10), nil
	case bson.TypeDouble:
		return strconv.FormatFloat(v.Double(), 'g', -1, 64), nil
	case bson.TypeBoolean:
		return strconv.FormatBool(v.Boolean()), nil
	case bson.TypeDateTime:
		return time.UnixMilli(v.DateTime()).UTC().Format(time.RFC3339Nano), nil
	case bson.TypeDecimal128:
		return v.Decimal128().String(), nil
	}
	return extJSON(v)
}

// extJSON renders any value as relaxed extended JSON.
func extJSON(v bson.RawValue) (any, error) {
	b, err := bson.MarshalExtJSON(bson.D{{Key: "v", Value: v}}, false, false)
	if err != nil {
		return nil, err
	}
	s := strings.TrimSpace(string(b))
	return strings.TrimSuffix(strings.TrimPrefix(s, `{"v":`), "}"), nil
}
