using System.Text.Json.Nodes;

namespace DlBook.Trainers.Packaging;

/// <summary>
/// A trained step that can describe how it was trained (options, history summary, metrics). The
/// package writer puts the description into the manifest's free-form "training" section.
/// </summary>
public interface ITrainingSummary
{
    /// <summary>The training description, or null when there is nothing to say (e.g. a loaded model).</summary>
    JsonObject? DescribeTraining();
}
