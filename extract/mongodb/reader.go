package mongodb

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/mart-dev/mart/extract"
	"github.com/mart-dev/mart/warehouse"
)

// reader reads one collection in pages.
type reader struct {
	client *mongo.Client
	coll   *mongo.Collection
	j      *extract.Job
	idType bson.Type // the BSON type of _id, to turn a stored position back into it
	// fields are the columns found so far, in the order first seen (_id
	// first), with the types that hold every value seen.
	fields []warehouse.LandColumn
}

var _ extract.Reader = (*reader)(nil)

func openReader(ctx context.Context, j *extract.Job) (*reader, error) {
	dsn, err := j.ReplicaDSN()
	if err == nil && dsn == "" {
		dsn, err = j.DSN()
	}
	if err != nil {
		return nil, err
	}
	opts := options.Client().ApplyURI(dsn).SetAppName(j.Config.ApplicationName)
	if opts.ServerSelectionTimeout == nil {
		opts.SetServerSelectionTimeout(30 * time.Second)
	}
	if j.Config.StatementTimeout > 0 {
		opts.SetTimeout(j.Config.StatementTimeout)
	}
	client, err := mongo.Connect(opts)
	if err != nil {
		return nil, fmt.Errorf("connect to MongoDB: %w", err)
	}
	r := &reader{client: client, coll: client.Database(j.Config.Database).Collection(j.Object), j: j}
	if err := client.Ping(ctx, nil); err != nil {
		_ = r.Close()
		return nil, fmt.Errorf("connect to MongoDB: %w", err)
	}
	r.fields = []warehouse.LandColumn{{Name: idColumn, Type: textType}}
	if st := j.State(); st != nil {
		for _, c := range st.Columns {
			if t, ok := parseType(c.Type); ok && c.Name != idColumn {
				r.fields = append(r.fields, warehouse.LandColumn{Name: c.Name, Type: t})
			}
		}
	}
	return r, nil
}

// Describe says the collection is schemaless, keyed by _id.
func (r *reader) Describe(ctx context.Context) (*extract.Schema, error) {
	names, err := r.client.Database(r.j.Config.Database).ListCollectionNames(ctx, bson.D{{Key: "name", Value: r.j.Object}})
	if err != nil {
		return nil, fmt.Errorf("list collections: %w", err)
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("collection %s does not exist in the MongoDB database %s", r.j.Object, r.j.Config.Database)
	}
	n, err := r.coll.EstimatedDocumentCount(ctx)
	if err != nil {
		return nil, fmt.Errorf("count %s: %w", r.j.Object, err)
	}
	first, err := r.coll.FindOne(ctx, bson.D{}, options.FindOne().SetSort(bson.D{{Key: idColumn, Value: 1}}).
		SetProjection(bson.D{{Key: idColumn, Value: 1}})).Raw()
	switch {
	case errors.Is(err, mongo.ErrNoDocuments):
		r.idType = bson.TypeObjectID
	case err != nil:
		return nil, fmt.Errorf("read %s: %w", r.j.Object, err)
	default:
		r.idType = first.Lookup(idColumn).Type
	}
	return &extract.Schema{PrimaryKey: []string{idColumn}, KeyEnforced: true, EstimatedRows: n,
		Keys: []warehouse.LandColumn{{Name: idColumn, Type: textType}}}, nil
}

func (r *reader) ReadAll(ctx context.Context, stage extract.Stager) error {
	return errors.New("internal error: a schemaless collection is read in pages")
}

// ReadChunk reads one page into memory, works out its columns, and
// stages it.
func (r *reader) ReadChunk(ctx context.Context, q extract.Chunk, stage extract.Stager) error {
	filter, err := r.filter(q)
	if err != nil {
		return err
	}
	sort := bson.D{}
	for _, o := range q.Order {
		sort = append(sort, bson.E{Key: o, Value: 1})
	}
	opts := options.Find().SetSort(sort).SetLimit(int64(q.Limit)).SetBatchSize(int32(min(q.Limit, 10000)))
	if q.Columns != nil {
		proj := bson.D{}
		for _, c := range q.Columns {
			proj = append(proj, bson.E{Key: c, Value: 1})
		}
		opts.SetProjection(proj)
	}
	cur, err := r.coll.Find(ctx, filter, opts)
	if err != nil {
		return fmt.Errorf("read %s: %w", r.j.Object, err)
	}
	defer cur.Close(ctx)
	var docs []bson.Raw
	for cur.Next(ctx) {
		docs = append(docs, append(bson.Raw(nil), cur.Current...))
		r.j.AddBytes(int64(len(cur.Current)))
	}
	if err := cur.Err(); err != nil {
		return fmt.Errorf("read %s: %w", r.j.Object, err)
	}
	cols, err := r.columns(docs, q.Columns)
	if err != nil {
		return err
	}
	return stage(cols, func(add func([]any) error) error {
		row := make([]any, len(cols))
		for _, d := range docs {
			for i, c := range cols {
				v, err := value(d.Lookup(c.Name), c.Type)
				if err != nil {
					return fmt.Errorf("document %s, field %q: %w", d.Lookup(idColumn), c.Name, err)
				}
				row[i] = v
			}
			if err := add(row); err != nil {
				return err
			}
		}
		return nil
	})
}

// columns widens the known fields with the page's, and returns the
// page's columns: every known field, or only those asked for.
func (r *reader) columns(docs []bson.Raw, only []string) ([]warehouse.LandColumn, error) {
	if only != nil {
		out := make([]warehouse.LandColumn, len(only))
		for i, name := range only {
			if name != idColumn {
				return nil, fmt.Errorf("internal error: a page of field %q alone", name)
			}
			out[i] = warehouse.LandColumn{Name: idColumn, Type: textType}
		}
		return out, nil
	}
	for _, d := range docs {
		elems, err := d.Elements()
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", r.j.Object, err)
		}
		for _, e := range elems {
			t, ok := typeOf(e.Value().Type)
			if !ok || e.Key() == idColumn {
				continue
			}
			r.widen(e.Key(), t)
		}
	}
	return append([]warehouse.LandColumn(nil), r.fields...), nil
}

func (r *reader) widen(name string, t warehouse.LandType) {
	for i := range r.fields {
		if r.fields[i].Name == name {
			r.fields[i].Type = join(r.fields[i].Type, t)
			return
		}
	}
	r.fields = append(r.fields, warehouse.LandColumn{Name: name, Type: t})
}

// filter selects the page's documents: after the position (row-wise on
// the order fields), or from From on the first.
func (r *reader) filter(q extract.Chunk) (bson.D, error) {
	first := q.Order[0]
	switch {
	case q.After != nil:
		var or bson.A
		eq := bson.D{}
		for i, o := range q.Order {
			v, err := r.bsonValue(o, q.After[i])
			if err != nil {
				return nil, err
			}
			or = append(or, append(append(bson.D{}, eq...), bson.E{Key: o, Value: bson.D{{Key: "$gt", Value: v}}}))
			eq = append(eq, bson.E{Key: o, Value: v})
		}
		return bson.D{{Key: "$or", Value: or}}, nil
	case q.From != nil:
		v, err := r.bsonValue(first, q.From)
		if err != nil {
			return nil, err
		}
		return bson.D{{Key: first, Value: bson.D{{Key: "$gte", Value: v}}}}, nil
	}
	return bson.D{{Key: first, Value: bson.D{{Key: "$ne", Value: nil}}}}, nil
}

// bsonValue turns a position value back into the BSON value it came from:
// _id's text into its BSON type, the rest as the driver encodes them.
func (r *reader) bsonValue(field string, v any) (any, error) {
	s, ok := v.(string)
	if field != idColumn || !ok {
		return v, nil
	}
	switch r.idType {
	case bson.TypeObjectID:
		return bson.ObjectIDFromHex(s)
	case bson.TypeInt32, bson.TypeInt64:
		return strconv.ParseInt(s, 10, 64)
	case bson.TypeString:
		return s, nil
	}
	return nil, fmt.Errorf("_id values of BSON type %s cannot be paged through; give the collection ObjectId, string or integer ids", r.idType)
}

// Max returns the field's greatest value, as it lands.
func (r *reader) Max(ctx context.Context, field string) (any, error) {
	raw, err := r.coll.FindOne(ctx, bson.D{{Key: field, Value: bson.D{{Key: "$ne", Value: nil}}}},
		options.FindOne().SetSort(bson.D{{Key: field, Value: -1}}).SetProjection(bson.D{{Key: field, Value: 1}})).Raw()
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", r.j.Object, err)
	}
	v := raw.Lookup(strings.Split(field, ".")...)
	t, ok := typeOf(v.Type)
	if !ok {
		return nil, nil
	}
	if t.Kind == warehouse.LandInt32 {
		t.Kind = warehouse.LandInt64
	}
	return value(v, t)
}

func (r *reader) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return r.client.Disconnect(ctx)
}
