package main

import (
	"context"
	"fmt"
	"io"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// mongoBatch is how many documents one InsertMany carries.
const mongoBatch = 1000

// loadMongo replaces the app_events collection of database db: dropped,
// then filled with InsertMany. Each event is a document whose _id is the
// app's event_id, occurred_at a date and payload a nested document.
func loadMongo(ctx context.Context, uri, db, dir string) (loaded, error) {
	client, err := mongo.Connect(options.Client().ApplyURI(uri))
	if err != nil {
		return nil, err
	}
	defer client.Disconnect(context.Background())
	t := appEventsTable
	coll := client.Database(db).Collection(t.name)
	if err := coll.Drop(ctx); err != nil {
		return nil, err
	}
	// mart extract reads by (occurred_at, _id)
	if _, err := coll.Indexes().CreateOne(ctx, mongo.IndexModel{Keys: bson.D{{Key: "occurred_at", Value: 1}, {Key: "_id", Value: 1}}}); err != nil {
		return nil, err
	}
	rows, err := openRows(dir, t)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var n int64
	docs := make([]any, 0, mongoBatch)
	flush := func() error {
		if len(docs) == 0 {
			return nil
		}
		_, err := coll.InsertMany(ctx, docs)
		docs = docs[:0]
		return err
	}
	for {
		row, err := rows.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		doc, err := eventDocument(row)
		if err != nil {
			return nil, fmt.Errorf("%s: event %v: %w", t.name, row[0], err)
		}
		docs = append(docs, doc)
		n++
		if len(docs) == mongoBatch {
			if err := flush(); err != nil {
				return nil, err
			}
		}
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return loaded{t.name: n}, nil
}

// eventDocument is a raw_app_events row as the app stores it.
func eventDocument(row []any) (bson.D, error) {
	var payload bson.D
	if s, ok := row[4].(string); ok {
		if err := bson.UnmarshalExtJSON([]byte(s), false, &payload); err != nil {
			return nil, fmt.Errorf("payload: %w", err)
		}
	}
	return bson.D{{Key: "_id", Value: row[0]}, {Key: "event_id", Value: row[0]}, {Key: "member_id", Value: row[1]},
		{Key: "occurred_at", Value: row[2]}, {Key: "event_type", Value: row[3]}, {Key: "payload", Value: payload}}, nil
}
