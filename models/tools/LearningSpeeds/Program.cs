using DlBook.Engine.Diagnostics;
using DlBook.Engine.Losses;
using DlBook.Engine.Tensors;
using DlBook.Trainers.Networks;
using Microsoft.ML;
using Microsoft.ML.Data;
// The learning speed of every layer of a saved image chain (dlbook train cnn), measured after training as the trainer's
// gradient monitor measures it: the first 256 training rows in the trainer's order, inference mode.
// Usage: dotnet run --project models/tools/LearningSpeeds -- cnn.zip <train root> [<more roots>]
// (models/book-cnn.md: reproduces the recorded figures of the book run, and gives the deep run's convolutions.)
var ml = new MLContext().RegisterDlBook();
var model = ml.Model.Load(args[0], out _);
var steps = ((IEnumerable<ITransformer>)model).ToList();
var images = ml.Data.LoadFromImageFolder(args[1..]);
var view = steps.Take(steps.Count - 1).Aggregate(images, (v, t) => t.Transform(v));
var net = (NetworkTransformer)steps[^1];
var rows = ml.Data.TakeRows(view, 256);
var x = new List<float>(); var y = new List<float>();
using (var c = rows.GetRowCursor(rows.Schema))
{
    var f = c.GetGetter<VBuffer<float>>(rows.Schema["Features"]); var l = c.GetGetter<uint>(rows.Schema["Label"]);
    VBuffer<float> b = default; uint k = 0;
    while (c.MoveNext()) { f(ref b); l(ref k); x.AddRange(b.DenseValues()); y.Add(k - 1); }
}
int n = y.Count;
var seq = net.Model.Network;
var xt = new Tensor(x.ToArray(), [n, .. seq.InputShape]);
var yt = new Tensor(y.ToArray(), n, 1);
foreach (var s in LearningSpeed.Measure(seq, LossFactory.Create(net.Model.LossName), xt, yt))
    Console.WriteLine($"{s.Layer}\t{s.BiasGradientNorm:G3}\t{s.WeightGradientNorm:G3}");
