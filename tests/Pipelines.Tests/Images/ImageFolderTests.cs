using DlBook.Pipelines.Images;
using DlBook.TestSupport;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DlBook.Pipelines.Tests.Images;

public sealed class ImageFolderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dlbook-folder-").FullName;
    private readonly MLContext _ml = new(1);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Touch(params string[] parts)
    {
        var path = Path.Combine([_dir, .. parts]);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, [1]);
        return path;
    }

    private static List<(string Path, string Label)> Rows(IDataView view, string pathColumn = "ImagePath", string labelColumn = "Label")
    {
        var rows = new List<(string, string)>();
        using var cursor = view.GetRowCursor(view.Schema);
        var getPath = cursor.GetGetter<ReadOnlyMemory<char>>(view.Schema[pathColumn]);
        var getLabel = cursor.GetGetter<ReadOnlyMemory<char>>(view.Schema[labelColumn]);
        ReadOnlyMemory<char> p = default, l = default;
        while (cursor.MoveNext()) { getPath(ref p); getLabel(ref l); rows.Add((p.ToString(), l.ToString())); }
        return rows;
    }

    [Fact]
    public void RowsAreSortedByClassThenRootThenFileNameAcrossRoots()
    {
        var b2 = Touch("train", "dogs", "b.jpg");
        var a1 = Touch("train", "cats", "z.png");
        var a0 = Touch("train", "cats", "a.JPEG");
        var e0 = Touch("extra", "cats", "a.jpg");
        var e1 = Touch("extra", "dogs", "0.jpg");
        var view = _ml.Data.LoadFromImageFolder(Path.Combine(_dir, "train"), Path.Combine(_dir, "extra"));
        Assert.Equal(TextDataViewType.Instance, view.Schema["ImagePath"].Type);
        Assert.Equal(TextDataViewType.Instance, view.Schema["Label"].Type);
        Assert.Equal(5L, view.GetRowCount());
        Assert.Equal([(a0, "cats"), (a1, "cats"), (e0, "cats"), (b2, "dogs"), (e1, "dogs")], Rows(view));
        Assert.Equal(Rows(view), Rows(view));
    }

    [Fact]
    public void OtherFilesAndDeeperFoldersAreLeftOut()
    {
        var keep = Touch("root", "cats", "1.jpg");
        Touch("root", "cats", "readme.txt");
        Touch("root", "cats", "deeper", "2.jpg");
        Touch("root", "loose.jpg");
        Assert.Equal([(keep, "cats")], Rows(_ml.Data.LoadFromImageFolder(Path.Combine(_dir, "root"))));
    }

    [Fact]
    public void OptionsNameTheColumnsAndTheFileEndings()
    {
        var bmp = Touch("root", "x", "1.bmp");
        Touch("root", "x", "2.jpg");
        var view = _ml.Data.LoadFromImageFolder(new ImageFolderOptions
        {
            Roots = [Path.Combine(_dir, "root")], Extensions = ["bmp"], ImagePathColumnName = "File", LabelColumnName = "Class",
        });
        Assert.Equal([(bmp, "x")], Rows(view, "File", "Class"));
    }

    [Fact]
    public void ShuffledCursorGivesTheSameRowsInAnotherOrder()
    {
        for (int i = 0; i < 30; i++) Touch("root", i % 2 == 0 ? "a" : "b", $"{i:D2}.jpg");
        var view = _ml.Data.LoadFromImageFolder(Path.Combine(_dir, "root"));
        var shuffled = _ml.Data.ShuffleRows(view, seed: 3);
        var inOrder = Rows(view);
        var other = Rows(shuffled);
        Assert.NotEqual(inOrder, other);
        Assert.Equal(inOrder.Order(), other.Order());
    }

    [Fact]
    public void MissingRootThrowsNamingTheFolder()
    {
        var missing = Path.Combine(_dir, "nope");
        var e = Assert.Throws<ImageFolderException>(() => _ml.Data.LoadFromImageFolder(missing));
        Assert.Equal(missing, e.Folder);
        Assert.StartsWith(missing, e.Message);
        Assert.Contains("does not exist", e.Message);
    }

    [Fact]
    public void EmptyRootThrowsNamingTheFolderAndTheLayout()
    {
        var empty = Directory.CreateDirectory(Path.Combine(_dir, "empty")).FullName;
        Touch("good", "cats", "1.jpg");
        var e = Assert.Throws<ImageFolderException>(() => _ml.Data.LoadFromImageFolder(Path.Combine(_dir, "good"), empty));
        Assert.Equal(empty, e.Folder);
        Assert.Contains("no class folders", e.Message);
        Assert.Contains("<root>/<class>/", e.Message);
    }

    [Fact]
    public void RootWhoseClassFoldersHoldNoImagesThrowsNamingTheFolder()
    {
        Touch("flat", "cats", "notes.txt");
        Touch("flat", "1.jpg");
        var e = Assert.Throws<ImageFolderException>(() => _ml.Data.LoadFromImageFolder(Path.Combine(_dir, "flat")));
        Assert.Equal(Path.Combine(_dir, "flat"), e.Folder);
        Assert.Contains("none of its 1 class folders holds an image", e.Message);
    }

    [Fact]
    public void SharedTrainPlusExtraGive2500CatsAnd2500DogsInFileOrder()
    {
        var root = Path.Combine(SharedData.Root, "dogs-vs-cats");
        var rows = Rows(_ml.Data.LoadFromImageFolder(Path.Combine(root, "train"), Path.Combine(root, "extra")));
        Assert.Equal(5000, rows.Count);
        Assert.Equal(2500, rows.Count(r => r.Label == "cats"));
        Assert.Equal(2500, rows.Count(r => r.Label == "dogs"));
        Assert.Equal(5000, rows.Select(r => r.Path).Distinct().Count());
        Assert.Equal(Path.Combine(root, "train", "cats", "cat.0.jpg"), rows[0].Path);
        Assert.Equal("cats", rows[1000].Label);
        Assert.StartsWith(Path.Combine(root, "extra", "cats"), rows[1000].Path);
        Assert.Equal("dogs", rows[2500].Label);
    }
}
