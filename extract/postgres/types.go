package postgres

import (
	"github.com/jackc/pgx/v5"

	"github.com/mart-dev/mart/warehouse"
)

// column is how one source column is read and landed.
type column struct {
	name   string
	land   warehouse.LandType
	sel    string  // the select-list expression: the quoted name, or name::text
	decode decoder // of the binary value sel yields
	block  blockDecoder
	cast   string // the column's type, to cast a text parameter to
	// attType and attTypmod are the attribute's own type (a domain, not
	// its base type), as logical replication's relation messages give it.
	attType   uint32
	attTypmod int32
}

// catalogType is a column's type as pg_catalog describes it (domains
// resolved to their base type).
type catalogType struct {
	oid     uint32
	typmod  int32
	typtype string // b base, e enum, ...
	elem    uint32 // element type of an array
	format  string // format_type(): how to cast a parameter to it
}

// Type OIDs.
const (
	oidBool        = 16
	oidBytea       = 17
	oidChar        = 18
	oidName        = 19
	oidInt8        = 20
	oidInt2        = 21
	oidInt4        = 23
	oidText        = 25
	oidOID         = 26
	oidJSON        = 114
	oidFloat4      = 700
	oidFloat8      = 701
	oidBPChar      = 1042
	oidVarchar     = 1043
	oidDate        = 1082
	oidTime        = 1083
	oidTimestamp   = 1114
	oidTimestampTZ = 1184
	oidNumeric     = 1700
	oidUUID        = 2950
	oidJSONB       = 3802
)

// scalar maps a scalar type to its landed type and binary decoder; false
// for types landed as their text form.
func scalar(oid uint32, typmod int32, typtype string) (warehouse.LandType, decoder, bool) {
	t := func(k warehouse.LandKind) warehouse.LandType { return warehouse.LandType{Kind: k} }
	switch oid {
	case oidBool:
		return t(warehouse.LandBool), decodeBool, true
	case oidInt2:
		return t(warehouse.LandInt16), decodeInt2, true
	case oidInt4:
		return t(warehouse.LandInt32), decodeInt4, true
	case oidInt8:
		return t(warehouse.LandInt64), decodeInt8, true
	case oidOID:
		return t(warehouse.LandInt64), decodeOID, true
	case oidFloat4:
		return t(warehouse.LandFloat32), decodeFloat4, true
	case oidFloat8:
		return t(warehouse.LandFloat64), decodeFloat8, true
	case oidText, oidVarchar, oidBPChar, oidName, oidChar:
		return t(warehouse.LandText), decodeText, true
	case oidBytea:
		return t(warehouse.LandBytes), decodeBytes, true
	case oidDate:
		return t(warehouse.LandDate), decodeDate, true
	case oidTime:
		return t(warehouse.LandTime), decodeTime, true
	case oidTimestamp:
		return t(warehouse.LandTimestamp), decodeTimestamp, true
	case oidTimestampTZ:
		return t(warehouse.LandTimestampTZ), decodeTimestamp, true
	case oidJSON:
		return t(warehouse.LandJSON), decodeText, true
	case oidJSONB:
		return t(warehouse.LandJSON), decodeJSONB, true
	case oidUUID:
		return t(warehouse.LandUUID), decodeUUID, true
	case oidNumeric:
		p, s := numericTypmod(typmod)
		if p < 1 || p > warehouse.MaxDecimalPrecision || s < 0 || s > p {
			return t(warehouse.LandText), decodeNumericText, true // exact, as text
		}
		return warehouse.LandType{Kind: warehouse.LandDecimal, Precision: p, Scale: s}, decimalDecoder(p, s), true
	}
	if typtype == "e" { // an enum sends its label
		return t(warehouse.LandText), decodeText, true
	}
	return warehouse.LandType{}, nil, false
}

// numericTypmod decodes numeric(p, s) from its typmod (-1: unconstrained).
func numericTypmod(typmod int32) (p, s int) {
	if typmod < 4 {
		return 0, 0
	}
	m := typmod - 4
	s = int(m & 0x7ff)
	if s&0x400 != 0 { // a negative scale (PostgreSQL 15)
		s -= 0x800
	}
	return int(m>>16) & 0xffff, s
}

// columnFor plans how to read a column of type ct: binary when mart
// decodes the type (arrays of such types included), else as text.
func columnFor(name string, ct catalogType, elem *catalogType) column {
	c := column{name: name, sel: pgx.Identifier{name}.Sanitize(), cast: ct.format}
	if lt, dec, ok := scalar(ct.oid, ct.typmod, ct.typtype); ok {
		c.land, c.decode, c.block = lt, dec, blockDecoderFor(ct.oid, lt)
		switch {
		case c.block == nil && ct.typtype == "e": // an enum's label
			c.block = blockBytes
		case c.block == nil:
			c.block = boxedBlock(dec)
		}
		return c
	}
	if elem != nil {
		if et, dec, ok := scalar(elem.oid, ct.typmod, elem.typtype); ok && et.Kind != warehouse.LandJSON {
			c.land = warehouse.LandType{Kind: warehouse.LandList, Elem: &et}
			c.decode = arrayDecoder(dec)
			c.block = boxedBlock(c.decode)
			return c
		}
	}
	c.land, c.decode, c.sel = warehouse.LandType{Kind: warehouse.LandText}, decodeText, c.sel+"::text"
	c.block = blockBytes
	return c
}
