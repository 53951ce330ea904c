package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
)

// writeFleetFiles writes the fleet team's files into dir: zones.csv (the
// CSV as generated) and cars.jsonl (newline-delimited JSON, numbers as
// numbers, a missing retired_at as null). Each is written to a temporary
// name and renamed, so a reader never sees half a file, and the same data
// gives the same bytes.
func writeFleetFiles(src, dir string) (loaded, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	zones, err := os.ReadFile(csvPath(src, "raw_zones"))
	if err != nil {
		return nil, err
	}
	if err := writeAtomic(filepath.Join(dir, "zones.csv"), func(w io.Writer) error {
		_, err := w.Write(zones)
		return err
	}); err != nil {
		return nil, err
	}
	cars, err := os.Open(csvPath(src, "raw_cars"))
	if err != nil {
		return nil, err
	}
	defer cars.Close()
	var nCars int64
	if err := writeAtomic(filepath.Join(dir, "cars.jsonl"), func(w io.Writer) error {
		nCars, err = writeCarsJSON(w, cars)
		return err
	}); err != nil {
		return nil, err
	}
	return loaded{"zones.csv": int64(bytes.Count(zones, []byte("\n")) - 1), "cars.jsonl": nCars}, nil
}

// writeCarsJSON writes the rows of raw_cars.csv as JSON lines and
// returns how many it wrote.
func writeCarsJSON(w io.Writer, src io.Reader) (int64, error) {
	r := csv.NewReader(src)
	header, err := r.Read()
	if err != nil {
		return 0, fmt.Errorf("raw_cars.csv: %w", err)
	}
	numeric := map[string]bool{"car_id": true, "seats": true, "home_zone_id": true}
	bw := bufio.NewWriter(w)
	var n int64
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return n, fmt.Errorf("raw_cars.csv: %w", err)
		}
		n++
		bw.WriteByte('{')
		for i, v := range rec {
			if i > 0 {
				bw.WriteByte(',')
			}
			k, _ := json.Marshal(header[i])
			bw.Write(k)
			bw.WriteByte(':')
			switch {
			case v == "":
				bw.WriteString("null")
			case numeric[header[i]]:
				if _, err := strconv.ParseInt(v, 10, 64); err != nil {
					return n, fmt.Errorf("raw_cars.csv: %s: %w", header[i], err)
				}
				bw.WriteString(v)
			default:
				s, _ := json.Marshal(v)
				bw.Write(s)
			}
		}
		bw.WriteString("}\n")
	}
	return n, bw.Flush()
}

func writeAtomic(path string, write func(io.Writer) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
