namespace DlBook.Pipelines.DataSets;

/// <summary>The data sets the book's networks are trained on.</summary>
public static class DataSetRegistry
{
    /// <summary>MNIST in the original IDX format (LeCun, Cortes, Burges); hashes are of the canonical decompressed files.</summary>
    public static readonly KnownDataSet Mnist = new()
    {
        Name = "mnist",
        Description = "MNIST handwritten digits, IDX (60,000 train + 10,000 test, 28x28)",
        FolderName = "mnist",
        DefaultBaseUrl = "https://ossci-datasets.s3.amazonaws.com/mnist/",
        Files =
        [
            new("train-images-idx3-ubyte.gz", "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db", 9_912_422),
            new("train-labels-idx1-ubyte.gz", "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5", 28_881),
            new("t10k-images-idx3-ubyte.gz", "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7", 1_648_877),
            new("t10k-labels-idx1-ubyte.gz", "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2", 4_542),
        ],
    };

    /// <summary>Fashion-MNIST (Zalando), same IDX layout as MNIST. Debian: apt-get install dataset-fashion-mnist.</summary>
    public static readonly KnownDataSet FashionMnist = new()
    {
        Name = "fashion-mnist",
        Description = "Fashion-MNIST clothing images, IDX (60,000 + 10,000, 28x28); Debian package dataset-fashion-mnist",
        FolderName = "fashion-mnist",
        SystemFolders = ["/usr/share/datasets/fashion-mnist"],
        DefaultBaseUrl = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
        Files =
        [
            new("train-images-idx3-ubyte.gz", null), new("train-labels-idx1-ubyte.gz", null),
            new("t10k-images-idx3-ubyte.gz", null), new("t10k-labels-idx1-ubyte.gz", null),
        ],
    };

    /// <summary>The Kaggle dogs-vs-cats subset (cats_and_dogs_filtered): 2,000 train and 1,000 validation JPEGs.</summary>
    public static readonly KnownDataSet DogsVsCats = new()
    {
        Name = "dogs-vs-cats",
        Description = "Dogs vs. Cats subset, JPEG folders train/{cats,dogs}, validation/{cats,dogs}",
        FolderName = "dogs-vs-cats",
        Files = [new("SHA256SUMS", null), new("train/cats/cat.0.jpg", "f4471041d9383442389e6fb4c1b05c67876272747c8095d36b43ce81a053122c")],
    };

    /// <summary>SMS Spam Collection v.1 (TSV: label, text).</summary>
    public static readonly KnownDataSet SmsSpam = new()
    {
        Name = "sms-spam", Description = "SMS Spam Collection v.1, TSV label<TAB>text (5,574 messages)",
        FolderName = "sms-spam", Files = [new("SMSSpamCollection", null)],
    };

    /// <summary>Karpathy's tiny-shakespeare (char-rnn input.txt).</summary>
    public static readonly KnownDataSet TinyShakespeare = new()
    {
        Name = "tinyshakespeare", Description = "tiny-shakespeare, 1,115,394 characters of plain text",
        FolderName = "tinyshakespeare", Files = [new("input.txt", null)],
    };

    /// <summary>Two small univariate series (airline passengers, Melbourne daily minimum temperatures).</summary>
    public static readonly KnownDataSet TimeSeries = new()
    {
        Name = "timeseries", Description = "airline passengers (144 months) and daily minimum temperatures (3,650 days), CSV",
        FolderName = "timeseries", Files = [new("airline-passengers.csv", null), new("daily-min-temperatures.csv", null)],
    };

    /// <summary>Every known data set.</summary>
    public static IReadOnlyList<KnownDataSet> All { get; } = [Mnist, FashionMnist, DogsVsCats, SmsSpam, TinyShakespeare, TimeSeries];

    /// <summary>A data set by name (case-insensitive); throws <see cref="DataSetException"/> listing the names.</summary>
    public static KnownDataSet Get(string name) =>
        All.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new DataSetException($"Unknown data set '{name}'. Known: {string.Join(", ", All.Select(d => d.Name))}.");
}
