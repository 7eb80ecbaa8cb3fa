using DlBook.Pipelines.Core;
using DlBook.Pipelines.Data;

namespace DlBook.Pipelines.Tests.Loaders;

public sealed class EnumerableTests
{
    private readonly DlContext _ctx = new(1);

    public sealed class Row
    {
        public float Size { get; set; }
        public double Price;
        public int Rooms { get; set; }
        public bool Garden { get; set; }
        public string City { get; set; } = "";
        [VectorType(2, 3)] public float[] Grid { get; set; } = new float[6];
        [KeyType(3)] public uint Class { get; set; }
        [ColumnName("Label")] public float Target { get; set; }
    }

    private static Row[] Rows() =>
    [
        new() { Size = 1.5f, Price = 10, Rooms = 2, Garden = true, City = "Porto", Grid = [1, 2, 3, 4, 5, 6], Class = 2, Target = 0.5f },
        new() { Size = 2.5f, Price = 20, Rooms = 3, Garden = false, City = "Lisboa", Grid = [6, 5, 4, 3, 2, 1], Class = 0, Target = 1.5f },
        new() { Size = 3.5f, Price = 30, Rooms = 4, Garden = true, City = "Braga", Grid = [0, 0, 0, 0, 0, 1], Class = 1, Target = 2.5f },
    ];

    [Fact]
    public void MembersBecomeTypedColumns()
    {
        var view = _ctx.Data.LoadFromEnumerable(Rows());
        var s = view.Schema;
        Assert.Equal(["Size", "Price", "Rooms", "Garden", "City", "Grid", "Class", "Label"], s.Select(c => c.Name));
        Assert.Equal(ScalarType.Instance, s["Price"].Type);
        Assert.Equal(ScalarType.Instance, s["Garden"].Type);
        Assert.Equal(TextType.Instance, s["City"].Type);
        Assert.Equal(new VectorType([2, 3]), s["Grid"].Type);
        Assert.Equal(new KeyType(3, null), s["Class"].Type);
        Assert.Equal(3, view.RowCount);
        Assert.Equal(new[] { 1f, 0f, 1f }, TestViews.Floats(view, "Garden"));
        Assert.Equal(new[] { 10f, 20f, 30f }, TestViews.Floats(view, "Price"));
        Assert.Equal(new uint[] { 2, 0, 1 }, TestViews.Keys(view, "Class"));
        Assert.Equal(new[] { 6f, 5f, 4f }, TestViews.Floats(view, "Grid")[6..9]);
    }

    [Fact]
    public void CreateEnumerableRoundTripsEveryMember()
    {
        var back = _ctx.Data.CreateEnumerable<Row>(_ctx.Data.LoadFromEnumerable(Rows())).ToList();
        var rows = Rows();
        Assert.Equal(3, back.Count);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(rows[i].Size, back[i].Size);
            Assert.Equal(rows[i].Price, back[i].Price);
            Assert.Equal(rows[i].Rooms, back[i].Rooms);
            Assert.Equal(rows[i].Garden, back[i].Garden);
            Assert.Equal(rows[i].City, back[i].City);
            Assert.Equal(rows[i].Grid, back[i].Grid);
            Assert.Equal(rows[i].Class, back[i].Class);
            Assert.Equal(rows[i].Target, back[i].Target);
        }
        Assert.NotSame(back[0].Grid, back[1].Grid);
    }

    [Fact]
    public void ReuseRowObjectRefillsOneInstance()
    {
        var seen = _ctx.Data.CreateEnumerable<Row>(_ctx.Data.LoadFromEnumerable(Rows()), reuseRowObject: true)
            .Select(r => (r, r.City)).ToList();
        Assert.Same(seen[0].r, seen[2].r);
        Assert.Equal(new[] { "Porto", "Lisboa", "Braga" }, seen.Select(s => s.City));
    }

    public sealed class NoShape { public float[] Values { get; set; } = []; }
    public sealed class Wrong { [KeyType(2)] public int Class { get; set; } }

    [Fact]
    public void UnsupportedMembersAreSchemaErrorsNamingThem()
    {
        var e1 = Assert.Throws<SchemaException>(() => _ctx.Data.LoadFromEnumerable(new[] { new NoShape() }));
        Assert.Contains("NoShape.Values", e1.Message);
        Assert.Contains("[VectorType", e1.Message);
        var e2 = Assert.Throws<SchemaException>(() => _ctx.Data.LoadFromEnumerable(new[] { new Wrong() }));
        Assert.Contains("Wrong.Class", e2.Message);
    }

    [Fact]
    public void VectorOfWrongLengthAndKeyOutOfRangeAreDataErrorsNamingTheRow()
    {
        var rows = Rows();
        rows[1].Grid = [1, 2];
        var e = Assert.Throws<DataFormatException>(() => TestViews.Floats(_ctx.Data.LoadFromEnumerable(rows), "Grid"));
        Assert.Contains("Row 1", e.Message);
        Assert.Contains("2 elements", e.Message);
        rows = Rows();
        rows[2].Class = 3;
        var e2 = Assert.Throws<DataFormatException>(() => TestViews.Keys(_ctx.Data.LoadFromEnumerable(rows), "Class"));
        Assert.Contains("Row 2", e2.Message);
    }

    public sealed class Missing { public float Nope { get; set; } }

    [Fact]
    public void CreateEnumerableOfAMemberWithoutColumnNamesIt()
    {
        var e = Assert.Throws<SchemaException>(() => _ctx.Data.CreateEnumerable<Missing>(_ctx.Data.LoadFromEnumerable(Rows())));
        Assert.Contains("Missing.Nope", e.Message);
        Assert.Contains("City", e.Message);
    }

    [Fact]
    public void TheEnumerableIsReadAgainOnEveryPass()
    {
        var list = Rows().ToList();
        var view = _ctx.Data.LoadFromEnumerable(list);
        Assert.Equal(3, TestViews.Floats(view, "Size").Length);
        list.Add(new Row { Size = 9 });
        Assert.Equal(9f, TestViews.Floats(view, "Size")[3]);
    }
}
