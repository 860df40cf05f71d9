// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// Test plugin (urn:mixwright:test:timepos): passes audio through and reports on
// control outputs what arrives on its atom input "control" (which supports
// time:Position): how many time:Position objects so far, the keys and values of the
// last one (absent keys read -1), the frame offset of its event, and how many values
// had another atom type than the one this host promises (speed Float, frame Long,
// bar Long, barBeat Float, beat Double, beatUnit Int, beatsPerBar Float,
// beatsPerMinute Float). "other" does not support time:Position; it counts whatever
// arrives there, which should be nothing.

#include <lv2/atom/atom.h>
#include <lv2/atom/util.h>
#include <lv2/core/lv2.h>
#include <lv2/time/time.h>
#include <lv2/urid/urid.h>

#include <stdlib.h>
#include <string.h>

enum {
    kInL, kInR, kOutL, kOutR, kControl, kOther,
    kPositions, kKeys, kEventTime, kSpeed, kFrame, kBar, kBarBeat, kBeat, kBeatUnit, kBeatsPerBar, kBpm,
    kOtherEvents, kBadTypes, kPortCount
};

typedef struct {
    LV2_URID object, blank, atomFloat, atomDouble, atomInt, atomLong;
    LV2_URID position, speed, frame, bar, barBeat, beat, beatUnit, beatsPerBar, bpm;
    void* ports[kPortCount];
    float positions, otherEvents, badTypes;
} Probe;

static LV2_Handle instantiate(const LV2_Descriptor* d, double rate, const char* path, const LV2_Feature* const* f)
{
    (void)d;
    (void)rate;
    (void)path;
    LV2_URID_Map* map = NULL;
    for (int i = 0; f && f[i]; ++i)
        if (!strcmp(f[i]->URI, LV2_URID__map))
            map = (LV2_URID_Map*)f[i]->data;
    if (!map)
        return NULL;
    Probe* p = (Probe*)calloc(1, sizeof(Probe));
    if (!p)
        return NULL;
#define MAP(u) map->map(map->handle, u)
    p->object = MAP(LV2_ATOM__Object);
    p->blank = MAP(LV2_ATOM__Blank);
    p->atomFloat = MAP(LV2_ATOM__Float);
    p->atomDouble = MAP(LV2_ATOM__Double);
    p->atomInt = MAP(LV2_ATOM__Int);
    p->atomLong = MAP(LV2_ATOM__Long);
    p->position = MAP(LV2_TIME__Position);
    p->speed = MAP(LV2_TIME__speed);
    p->frame = MAP(LV2_TIME__frame);
    p->bar = MAP(LV2_TIME__bar);
    p->barBeat = MAP(LV2_TIME__barBeat);
    p->beat = MAP(LV2_TIME__beat);
    p->beatUnit = MAP(LV2_TIME__beatUnit);
    p->beatsPerBar = MAP(LV2_TIME__beatsPerBar);
    p->bpm = MAP(LV2_TIME__beatsPerMinute);
#undef MAP
    return p;
}

static void connect(LV2_Handle h, uint32_t port, void* data)
{
    if (port < kPortCount)
        ((Probe*)h)->ports[port] = data;
}

static void out(Probe* p, int port, float v)
{
    if (p->ports[port])
        *(float*)p->ports[port] = v;
}

// The value of one key as a float, counting a type other than `want` as bad.
static float value(Probe* p, const LV2_Atom* a, LV2_URID want)
{
    if (a->type != want)
        p->badTypes += 1.f;
    if (a->type == p->atomFloat)
        return ((const LV2_Atom_Float*)a)->body;
    if (a->type == p->atomDouble)
        return (float)((const LV2_Atom_Double*)a)->body;
    if (a->type == p->atomInt)
        return (float)((const LV2_Atom_Int*)a)->body;
    if (a->type == p->atomLong)
        return (float)((const LV2_Atom_Long*)a)->body;
    return -2.f;
}

static void run(LV2_Handle h, uint32_t n)
{
    Probe* p = (Probe*)h;
    const float* in[2] = {(const float*)p->ports[kInL], (const float*)p->ports[kInR]};
    float* o[2] = {(float*)p->ports[kOutL], (float*)p->ports[kOutR]};
    for (int c = 0; c < 2; ++c)
        if (in[c] && o[c] && in[c] != o[c])
            memmove(o[c], in[c], n * sizeof(float));

    const LV2_Atom_Sequence* other = (const LV2_Atom_Sequence*)p->ports[kOther];
    if (other)
        LV2_ATOM_SEQUENCE_FOREACH (other, ev)
            p->otherEvents += 1.f;

    const LV2_Atom_Sequence* seq = (const LV2_Atom_Sequence*)p->ports[kControl];
    if (seq) {
        LV2_ATOM_SEQUENCE_FOREACH (seq, ev) {
            if (ev->body.type != p->object && ev->body.type != p->blank)
                continue;
            const LV2_Atom_Object* obj = (const LV2_Atom_Object*)&ev->body;
            if (obj->body.otype != p->position)
                continue;
            p->positions += 1.f;
            out(p, kEventTime, (float)ev->time.frames);
            const int keys[] = {kSpeed, kFrame, kBar, kBarBeat, kBeat, kBeatUnit, kBeatsPerBar, kBpm};
            for (unsigned k = 0; k < sizeof keys / sizeof keys[0]; ++k)
                out(p, keys[k], -1.f);
            float count = 0.f;
            LV2_ATOM_OBJECT_FOREACH (obj, prop) {
                count += 1.f;
                const LV2_Atom* v = &prop->value;
                const LV2_URID k = prop->key;
                if (k == p->speed)
                    out(p, kSpeed, value(p, v, p->atomFloat));
                else if (k == p->frame)
                    out(p, kFrame, value(p, v, p->atomLong));
                else if (k == p->bar)
                    out(p, kBar, value(p, v, p->atomLong));
                else if (k == p->barBeat)
                    out(p, kBarBeat, value(p, v, p->atomFloat));
                else if (k == p->beat)
                    out(p, kBeat, value(p, v, p->atomDouble));
                else if (k == p->beatUnit)
                    out(p, kBeatUnit, value(p, v, p->atomInt));
                else if (k == p->beatsPerBar)
                    out(p, kBeatsPerBar, value(p, v, p->atomFloat));
                else if (k == p->bpm)
                    out(p, kBpm, value(p, v, p->atomFloat));
            }
            out(p, kKeys, count);
        }
    }
    out(p, kPositions, p->positions);
    out(p, kOtherEvents, p->otherEvents);
    out(p, kBadTypes, p->badTypes);
}

static void cleanup(LV2_Handle h) { free(h); }

static const LV2_Descriptor kDescriptor = {
    "urn:mixwright:test:timepos", instantiate, connect, NULL, run, NULL, cleanup, NULL,
};

LV2_SYMBOL_EXPORT const LV2_Descriptor* lv2_descriptor(uint32_t index) { return index == 0 ? &kDescriptor : NULL; }
