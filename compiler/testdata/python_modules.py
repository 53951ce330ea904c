# Makes python_modules.json, what Python's datetime, pytz and dbt's set,
# zip, fromjson and fromyaml give for the templates below, in Jinja2
# (TZ=UTC python3 python_modules.py python_modules.json). pytz is
# stood in for by tzinfos that behave as its tzinfos do in these cases
# (no arithmetic across a change of offset).
import datetime, json, zoneinfo, jinja2
class TZ(datetime.tzinfo):
    pass
class PytzZone(datetime.tzinfo):
    def __init__(self, name): self.zi = zoneinfo.ZoneInfo(name); self.zone = name
    def localize(self, dt): return dt.replace(tzinfo=self)
    def __str__(self): return self.zone
    def utcoffset(self, dt): return self.zi.utcoffset(dt.replace(tzinfo=None))
    def dst(self, dt): return self.zi.dst(dt.replace(tzinfo=None))
    def tzname(self, dt): return self.zi.tzname(dt.replace(tzinfo=None))
    def fromutc(self, dt): return dt.replace(tzinfo=datetime.timezone.utc).astimezone(self.zi).replace(tzinfo=self)
class UTC(datetime.tzinfo):
    zone = 'UTC'
    def localize(self, dt): return dt.replace(tzinfo=self)
    def __str__(self): return 'UTC'
    def utcoffset(self, dt): return datetime.timedelta(0)
    def dst(self, dt): return datetime.timedelta(0)
    def tzname(self, dt): return 'UTC'
    def fromutc(self, dt): return dt.replace(tzinfo=self)
utc = UTC()
pytz = {'utc': utc, 'timezone': lambda n: utc if n.upper()=='UTC' else PytzZone(n)}
modules = {'datetime': {n: getattr(datetime, n) for n in ["date", "datetime", "time", "timedelta", "tzinfo"]}, 'pytz': pytz}
rsa = datetime.datetime(2024,1,2,3,4,5,123456,tzinfo=utc)
env = jinja2.Environment(extensions=['jinja2.ext.do'])
cases = [
 "{{ run_started_at }}",
 "{{ run_started_at.strftime('%Y-%m-%d %H:%M:%S.%f %z %Z %j %a %A %b %B %p %I %y %w %u %U %W %V %G %e %C %F %T %D %R %c %x %X %%') }}",
 "{{ run_started_at.isoformat() }}|{{ run_started_at.isoformat(sep=' ', timespec='seconds') }}|{{ run_started_at.isoformat(timespec='milliseconds') }}",
 "{{ run_started_at.date() }}|{{ run_started_at.time() }}|{{ run_started_at.year }}-{{ run_started_at.month }}-{{ run_started_at.day }} {{ run_started_at.hour }}:{{ run_started_at.minute }}:{{ run_started_at.second }}.{{ run_started_at.microsecond }}",
 "{{ run_started_at.timestamp() }}",
 "{{ run_started_at - modules.datetime.timedelta(days=1) }}",
 "{{ run_started_at + modules.datetime.timedelta(hours=25, minutes=3) }}",
 "{{ run_started_at > modules.datetime.datetime(2024, 1, 1, tzinfo=modules.pytz.utc) }}|{{ run_started_at == run_started_at.replace(microsecond=123456) }}|{{ run_started_at < run_started_at - modules.datetime.timedelta(seconds=1) }}",
 "{{ run_started_at.tzinfo }}|{{ run_started_at.utcoffset() }}|{{ run_started_at.tzname() }}",
 "{{ run_started_at.astimezone(modules.pytz.timezone('Europe/Paris')) }}|{{ run_started_at.astimezone(modules.pytz.timezone('America/New_York')).strftime('%H:%M %Z %z') }}",
 "{{ run_started_at.astimezone(modules.pytz.timezone('UTC')) }}",
 "{{ run_started_at.replace(tzinfo=none) }}|{{ run_started_at.replace(year=2020, day=5) }}",
 "{{ run_started_at.weekday() }}|{{ run_started_at.isoweekday() }}|{{ run_started_at.toordinal() }}",
 "{{ modules.datetime.datetime(2024, 1, 2, 3, 4, 5) }}|{{ modules.datetime.datetime(2024, 1, 2) }}|{{ modules.datetime.datetime(2024, 1, 2, 3, 4, 5, 60) }}",
 "{{ modules.datetime.datetime(2024, 1, 2, 3, 4, 5).isoformat() }}|{{ modules.datetime.date(2024, 1, 2) }}|{{ modules.datetime.datetime.strptime('2024-03-04', '%Y-%m-%d').day }}",
 "{{ modules.datetime.datetime(year=2024, month=2, day=29, hour=23) }}",
 "{{ modules.datetime.datetime.strptime('2024-3-4 7:05:09.25', '%Y-%m-%d %H:%M:%S.%f') }}",
 "{{ modules.datetime.datetime.strptime('04/Mar/24 07PM', '%d/%b/%y %I%p') }}",
 "{{ modules.datetime.datetime.strptime('2024-03-04T07:05:09+0130', '%Y-%m-%dT%H:%M:%S%z') }}|{{ modules.datetime.datetime.strptime('2024-03-04T07:05:09+0130', '%Y-%m-%dT%H:%M:%S%z').tzinfo }}",
 "{{ modules.datetime.datetime.strptime('2024 060', '%Y %j').date() }}",
 "{{ modules.datetime.datetime.fromisoformat('2024-01-02T03:04:05') }}|{{ modules.datetime.datetime.fromisoformat('2024-01-02 03:04:05.5+02:00') }}|{{ modules.datetime.datetime.fromisoformat('2024-01-02') }}|{{ modules.datetime.datetime.fromisoformat('2024-01-02T03:04:05Z') }}",
 "{{ modules.datetime.date.fromisoformat('2024-01-02') }}|{{ modules.datetime.date(2024, 1, 31) + modules.datetime.timedelta(days=1, hours=23) }}|{{ modules.datetime.date(2024, 3, 1) - modules.datetime.date(2024, 2, 1) }}",
 "{{ modules.datetime.date(2024, 1, 2).strftime('%d.%m.%Y %H') }}|{{ modules.datetime.date(2024, 1, 2).isoformat() }}|{{ modules.datetime.date(2024,1,2).replace(month=12) }}|{{ modules.datetime.date(2024,1,2) < modules.datetime.date(2024,1,3) }}",
 "{{ modules.datetime.time(3, 4, 5) }}|{{ modules.datetime.time(3, 4, 5, 10).isoformat() }}|{{ modules.datetime.time() }}|{{ modules.datetime.time(hour=13).strftime('%I %p') }}",
 "{{ modules.datetime.timedelta(days=1, seconds=5) }}|{{ modules.datetime.timedelta(seconds=-1) }}|{{ modules.datetime.timedelta(microseconds=1500) }}|{{ modules.datetime.timedelta(days=2) }}|{{ modules.datetime.timedelta(hours=1.5) }}|{{ modules.datetime.timedelta(weeks=1, milliseconds=1) }}",
 "{{ modules.datetime.timedelta(seconds=-1).days }}|{{ modules.datetime.timedelta(seconds=-1).seconds }}|{{ modules.datetime.timedelta(hours=36).total_seconds() }}|{{ modules.datetime.timedelta(hours=36) * 2 }}|{{ modules.datetime.timedelta(hours=36) / 4 }}|{{ modules.datetime.timedelta(days=1) / modules.datetime.timedelta(hours=6) }}|{{ modules.datetime.timedelta(days=1) // modules.datetime.timedelta(hours=7) }}",
 "{{ -modules.datetime.timedelta(hours=1) }}|{{ 2 * modules.datetime.timedelta(hours=13) }}|{{ modules.datetime.timedelta(minutes=90) * 0.5 }}|{{ (run_started_at - modules.datetime.timedelta(days=1)).strftime('%Y%m%d') }}",
 "{{ modules.datetime.timedelta(days=1) + modules.datetime.datetime(2024, 1, 2) }}|{{ modules.datetime.timedelta(hours=2) > modules.datetime.timedelta(minutes=90) }}|{{ modules.datetime.datetime(2024,1,3) - modules.datetime.datetime(2024,1,1,12) }}",
 "{{ modules.pytz.timezone('Europe/Paris').localize(modules.datetime.datetime(2024, 7, 1, 12)) }}|{{ modules.pytz.timezone('Europe/Paris').localize(modules.datetime.datetime(2024, 1, 1, 12)).isoformat() }}|{{ modules.pytz.utc.localize(modules.datetime.datetime(2024, 7, 1, 12)) }}",
 "{{ modules.pytz.utc }}|{{ modules.pytz.timezone('Asia/Kolkata').localize(modules.datetime.datetime(2024, 7, 1, 12)).utcoffset() }}",
 "{{ modules.datetime.datetime(2024, 1, 2) == modules.datetime.date(2024, 1, 2) }}|{{ modules.datetime.datetime(2024, 1, 2) == modules.datetime.datetime(2024, 1, 2, tzinfo=modules.pytz.utc) }}",
 "{{ modules.datetime.datetime.combine(modules.datetime.date(2024, 1, 2), modules.datetime.time(3, 4)) }}|{{ modules.datetime.datetime.fromtimestamp(0, modules.pytz.utc) }}|{{ modules.datetime.datetime.utcfromtimestamp(86400.5) }}",
 "{{ modules.datetime.datetime(2024, 1, 2, 3, 4, 5) < modules.datetime.datetime(2024, 1, 2, 3, 4, 6) }}|{{ [modules.datetime.date(2024,1,3), modules.datetime.date(2024,1,1)] | sort | join(',') }}|{{ [modules.datetime.date(2024,1,3), modules.datetime.date(2024,1,1)] | max }}",
 "{{ modules.datetime.datetime(2024, 1, 2).isocalendar()[1] }}|{{ modules.datetime.date.fromordinal(738887) }}",
 "{{ set([1, 1, 2]) }}|{{ set([1, 1, 2]) | length }}|{{ set([]) }}|{{ set('aa') }}|{{ 2 in set([1, 2]) }}|{{ set([1, 2]) == set([2, 1]) }}|{{ set([1,2,3]) - set([2]) }}",
 "{{ set([1, 2]).union([3]) }}|{{ set([1, 2]).intersection([2, 3]) }}|{{ set([1, 2]).difference([2]) }}|{{ set([1]).issubset([1, 2]) }}|{{ set(5) }}|{{ set(5, 'd') }}|{{ set([[1]]) }}",
 "{% set s = set([1]) %}{% do s.add(2) %}{% do s.add(1) %}{% do s.discard(7) %}{{ s }}|{% for x in set([3, 3, 4]) %}{{ x }};{% endfor %}|{{ set([1, 2]) | list }}|{{ set([2,1,2]) | sort }}",
 "{{ zip([1, 2], ['a', 'b']) | list }}|{{ zip(1, [2]) }}|{{ zip(1, [2], default='d') }}|{{ zip_strict([1], [2, 3]) | list }}",
 "{{ fromjson('[1') }}|{{ fromjson('[1', 'dflt') }}|{{ fromjson('[1, 2]') }}|{{ fromyaml('{') }}|{{ fromyaml('{', default=3) }}|{{ fromjson('x', default=[]) }}",
]
errs = [
 "{{ set_strict(5) }}", "{{ set_strict([[1]]) }}", "{{ zip_strict(1, [2]) }}",
 "{{ modules.datetime.datetime(2024, 2, 30) }}", "{{ modules.datetime.datetime(2024, 13, 1) }}",
 "{{ modules.datetime.datetime.strptime('2024-03', '%Y-%m-%d') }}", "{{ modules.datetime.datetime.strptime('2024-03-04x', '%Y-%m-%d') }}",
 "{{ modules.datetime.datetime(2024, 1, 2) < modules.datetime.datetime(2024, 1, 2, tzinfo=modules.pytz.utc) }}",
 "{{ modules.datetime.datetime(2024, 1, 2) - modules.datetime.datetime(2024, 1, 2, tzinfo=modules.pytz.utc) }}",
 "{{ modules.datetime.datetime.fromisoformat('2024-01-02X') }}",
]
import builtins
def dbt_set(v, default=None):
    try: return set(v)
    except TypeError: return default
def set_strict(v): return set(v)
def dbt_zip(*a, default=None):
    try: return zip(*a)
    except TypeError: return default
def zip_strict(*a): return zip(*a)
import yaml
def fromjson(s, default=None):
    try: return json.loads(s)
    except ValueError: return default
def fromyaml(s, default=None):
    try: return yaml.safe_load(s)
    except (AttributeError, ValueError, yaml.YAMLError): return default
ctx = dict(modules=modules, run_started_at=rsa, set=dbt_set, set_strict=set_strict, zip=dbt_zip, zip_strict=zip_strict, fromjson=fromjson, fromyaml=fromyaml)
out = []
for c in cases:
    out.append({"template": c, "output": env.from_string(c).render(**ctx)})
for c in errs:
    try:
        r = env.from_string(c).render(**ctx)
        out.append({"template": c, "output": r})
    except Exception as e:
        out.append({"template": c, "error": str(e)})
import sys
json.dump({"generator": "compiler/testdata/python_modules.py: Python %d.%d's datetime with Jinja2 %s, pytz.utc and pytz.timezone as pytz's tzinfos behave in these cases, dbt 1.8's set, zip, fromjson and fromyaml" % (sys.version_info[0], sys.version_info[1], jinja2.__version__), "cases": out}, open(sys.argv[1], "w"), indent=1, ensure_ascii=False)
