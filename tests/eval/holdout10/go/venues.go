// is this safe with lots of concurrent requests? the map is global but we only
// ever write to it in init(), handlers just read it. resale-api runs 4 pods.
package catalog

import (
	_ "embed"
	"encoding/json"
)

type Venue struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	City     string `json:"city"`
	Capacity int    `json:"capacity"`
}

//go:embed venues.json
var venuesJSON []byte

var venuesByID map[string]Venue

func init() {
	var list []Venue
	if err := json.Unmarshal(venuesJSON, &list); err != nil {
		panic("venues.json: " + err.Error())
	}
	venuesByID = make(map[string]Venue, len(list))
	for _, v := range list {
		venuesByID[v.ID] = v
	}
}

func LookupVenue(id string) (Venue, bool) {
	v, ok := venuesByID[id]
	return v, ok
}
