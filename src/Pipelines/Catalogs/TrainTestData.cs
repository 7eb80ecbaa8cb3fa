using DlBook.Pipelines.Data;

namespace DlBook.Pipelines.Catalogs;

/// <summary>A train/test split of one view (ML.NET's DataOperationsCatalog.TrainTestData).</summary>
/// <param name="TrainSet">The rows to train on.</param>
/// <param name="TestSet">The held-out rows.</param>
public sealed record TrainTestData(IDataView TrainSet, IDataView TestSet);
