using System.Runtime.InteropServices;

namespace DlBook.Export.Runtime;

/// <summary>An ORT object released through its Release function of the API table when disposed or finalised.</summary>
internal sealed class OrtHandle : SafeHandle
{
    private readonly OrtApi _api;
    private readonly int _releaseIndex;

    public OrtHandle(OrtApi api, int releaseIndex, nint handle) : base(0, ownsHandle: true)
    {
        _api = api;
        _releaseIndex = releaseIndex;
        SetHandle(handle);
    }

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        _api.Release(_releaseIndex, handle);
        return true;
    }
}
