package flowlogtest

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
)

// This file holds DescribeFlowLogs of Tencent Cloud VPC (tencent.go).

type tcDescribeFlowLogsParams struct {
	VpcId          *string
	FlowLogId      *string
	FlowLogName    *string
	ResourceType   *string
	ResourceId     *string
	TrafficType    *string
	CloudLogId     *string
	CloudLogState  *string
	OrderField     *string
	OrderDirection *string
	Offset         *int64
	Limit          *int64
	Filters        json.RawMessage
	CloudLogRegion *string
}

type tcDescribeFlowLogsResponse struct {
	FlowLog   []tcFlowLogJSON
	TotalNum  int
	RequestId string
}

// tcFilter is the parsed Filters object: a tag-key filter (Key == "") or a
// tag:<key> filter.
type tcFilter struct {
	tagKey bool   // Name = tag-key: Values are keys
	key    string // Name = tag:<key>: Values are values of key
	values []string
}

func (f *tcFilter) match(tags []Tag) bool {
	return slices.ContainsFunc(tags, func(t Tag) bool {
		if f.tagKey {
			return slices.Contains(f.values, t.Key)
		}
		return t.Key == f.key && slices.Contains(f.values, t.Value)
	})
}

// parseTencentFilter parses Filters, which the SDK models as a single Filter
// object {Name, Values}, not an array.
func parseTencentFilter(raw json.RawMessage) (*tcFilter, *apiError) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil || obj == nil {
		return nil, errTCFilterNotDict
	}
	var name string
	if err := json.Unmarshal(obj["Name"], &name); err != nil && obj["Name"] != nil {
		return nil, errTCFilterInvalidKey(string(obj["Name"]))
	}
	var values []string
	if err := json.Unmarshal(obj["Values"], &values); err != nil {
		return nil, errTCFilterValuesNotList
	}
	f := &tcFilter{values: values}
	switch key, ok := strings.CutPrefix(name, "tag:"); {
	case name == "tag-key":
		f.tagKey = true
	case ok && key != "":
		f.key = key
	default:
		return nil, errTCFilterInvalidKey(name)
	}
	return f, nil
}

// describeFlowLogs lists the flow logs of the request's region. All
// filters are exact matches and combine with AND; empty strings do not
// filter. An unknown FlowLogId yields an empty list (clients rely on that to
// detect deletion); an unknown, well-formed VpcId is ResourceNotFound
// (emulator choice, which explains that documented code). Ordering is by
// OrderField (createTime by default, with creation order breaking ties of
// the one-second timestamps) in OrderDirection (DESC by default).
func (tc *tencentProduct) describeFlowLogs(req *tcRequest) (any, error) {
	var p tcDescribeFlowLogsParams
	if terr := req.decode(&p); terr != nil {
		return nil, terr
	}
	// api-spec §5: FlowLogName (≤60), InvalidParameterValue.TooLong.
	if name := deref(p.FlowLogName); runeLen(name) > tencentMaxNameLen {
		return nil, errTCTooLong("FlowLogName", tencentMaxNameLen)
	}
	enums := []struct {
		param   string
		value   *string
		allowed []string
	}{
		{"ResourceType", p.ResourceType, tencentResourceTypes},
		{"TrafficType", p.TrafficType, tencentTrafficTypes},
		{"CloudLogState", p.CloudLogState, tencentCloudLogStates},
		{"OrderField", p.OrderField, []string{"flowLogName", "createTime"}},
		{"OrderDirection", p.OrderDirection, []string{"ASC", "DESC"}},
	}
	for _, e := range enums {
		if v := deref(e.value); v != "" {
			if terr := oneOf(e.param, v, e.allowed); terr != nil {
				return nil, terr
			}
		}
	}
	// api-spec §5: ResourceType, CloudLogState, OrderField and
	// OrderDirection enumerations; TrafficType is CreateFlowLog's (seed 003).
	// Offset default 0, Limit default 10 and range 1-100 [T-NEW]; §9 item 8
	// "Offset ≥0".
	offset, limit := int64(0), int64(10)
	if p.Offset != nil {
		if *p.Offset < 0 {
			return nil, errTCRange("Offset", strconv.FormatInt(*p.Offset, 10), "must not be negative")
		}
		offset = *p.Offset
	}
	if p.Limit != nil {
		if *p.Limit < 1 || *p.Limit > 100 {
			return nil, errTCRange("Limit", strconv.FormatInt(*p.Limit, 10), "must be 1..100")
		}
		limit = *p.Limit
	}
	// api-spec §5: Malformed among DescribeFlowLogs' errors. Only the
	// documented prefixes are checked (tencentResourcePrefixes). A
	// ResourceId may be of any ResourceType, and SUBNET documents no
	// prefix, so any ResourceId is well-formed; so is any CloudLogId (seed
	// 003 gives no format).
	if id := deref(p.FlowLogId); id != "" && !validTencentID(tencentFlowLogIDPrefix, id) {
		return nil, errTCMalformed("FlowLogId", id)
	}
	if id := deref(p.VpcId); id != "" && !validTencentID(tencentResourcePrefixes["VPC"], id) {
		return nil, errTCMalformed("VpcId", id)
	}
	// api-spec §5 Filters: one {Name, Values} object, names tag-key or
	// tag:<key>, "may not be combined with FlowLogId". The InvalidParameter.*
	// codes of these refusals are undocumented (emulator choice).
	var filter *tcFilter
	if len(p.Filters) > 0 {
		if deref(p.FlowLogId) != "" {
			return nil, errTCFiltersCoexist
		}
		f, terr := parseTencentFilter(p.Filters)
		if terr != nil {
			return nil, terr
		}
		filter = f
	}
	if id := deref(p.VpcId); id != "" {
		if vpc, ok := tc.resources["VPC"][id]; !ok || vpc.region != req.Region {
			return nil, errTCNotFound("vpc", id)
		}
	}

	exact := []struct {
		value *string
		field func(*TencentFlowLog) string
	}{
		{p.VpcId, func(f *TencentFlowLog) string { return f.VPCID }},
		{p.FlowLogId, func(f *TencentFlowLog) string { return f.FlowLogID }},
		{p.FlowLogName, func(f *TencentFlowLog) string { return f.FlowLogName }},
		{p.ResourceType, func(f *TencentFlowLog) string { return f.ResourceType }},
		{p.ResourceId, func(f *TencentFlowLog) string { return f.ResourceID }},
		{p.TrafficType, func(f *TencentFlowLog) string { return f.TrafficType }},
		{p.CloudLogId, func(f *TencentFlowLog) string { return f.CloudLogID }},
		{p.CloudLogState, func(f *TencentFlowLog) string { return f.CloudLogState }},
		{p.CloudLogRegion, func(f *TencentFlowLog) string { return f.CloudLogRegion }},
	}
	type entry struct {
		snap TencentFlowLog
		seq  int
	}
	var matched []entry
	wantID := deref(p.FlowLogId)
	// A FlowLogId is looked up, not searched for (see flowLogTable.match).
	candidates := tc.flowLogs
	if wantID != "" {
		candidates = nil
		if fl, ok := tc.byID[wantID]; ok {
			candidates = []*tcFlowLog{fl}
		}
	}
next:
	for _, fl := range candidates {
		if fl.Region != req.Region || (wantID != "" && fl.FlowLogID != wantID) {
			continue // cheap checks first: snapshots copy tags
		}
		snap := tc.snapshot(fl)
		for _, f := range exact {
			if v := deref(f.value); v != "" && f.field(&snap) != v {
				continue next
			}
		}
		if filter != nil && !filter.match(snap.Tags) {
			continue
		}
		matched = append(matched, entry{snap, fl.seq})
	}

	byName := deref(p.OrderField) == "flowLogName"
	desc := deref(p.OrderDirection) != "ASC"
	slices.SortFunc(matched, func(a, b entry) int {
		c := 0
		if byName {
			c = strings.Compare(a.snap.FlowLogName, b.snap.FlowLogName)
		} else {
			c = a.snap.CreatedTime.Compare(b.snap.CreatedTime)
		}
		if c == 0 {
			c = a.seq - b.seq
		}
		if desc {
			c = -c
		}
		return c
	})

	resp := tcDescribeFlowLogsResponse{FlowLog: []tcFlowLogJSON{}, TotalNum: len(matched), RequestId: req.RequestID}
	if offset < int64(len(matched)) {
		hi := min(offset+limit, int64(len(matched)))
		for _, e := range matched[offset:hi] {
			resp.FlowLog = append(resp.FlowLog, tcToJSON(e.snap))
		}
	}
	return resp, nil
}
