using System.Globalization;

namespace ContentApi.Infrastructure;

public static class ETags
{
    public static string For(int version) => "\"" + version.ToString(CultureInfo.InvariantCulture) + "\"";
}
