using static DbTls.Dialects.Mongo.MongoUriErrors;

namespace DbTls.Dialects.Mongo;

/// <summary>
/// The topology options' rules of the connection-string and seedlist specs: what mongodb+srv:// forbids or
/// alone allows (directConnection, srvServiceName, srvMaxHosts), and what loadBalanced=true cannot be combined with.
/// </summary>
internal static class MongoTopologyRules
{
    public static void Check(bool isSrv, int hostCount, Dictionary<string, string> values, string? srvServiceName, int srvMaxHosts, bool? directConnection, bool loadBalanced, string? replicaSet)
    {
        if (isSrv)
        {
            if (directConnection == true)
            {
                throw Invalid("directConnection=true cannot be used with a mongodb+srv:// URI (it may resolve to several hosts)");
            }

            if (srvMaxHosts > 0 && replicaSet is not null)
            {
                throw Invalid("srvMaxHosts cannot be combined with replicaSet");
            }

            if (srvMaxHosts > 0 && loadBalanced)
            {
                throw Invalid("srvMaxHosts cannot be combined with loadBalanced=true");
            }
        }
        else
        {
            if (srvServiceName is not null)
            {
                throw Invalid("srvServiceName is only allowed with mongodb+srv:// URIs");
            }

            if (srvMaxHosts > 0 || values.ContainsKey("srvmaxhosts"))
            {
                throw Invalid("srvMaxHosts is only allowed with mongodb+srv:// URIs");
            }
        }

        if (directConnection == true && hostCount > 1)
        {
            throw Invalid("directConnection=true cannot be used with several hosts");
        }

        if (loadBalanced)
        {
            if (hostCount > 1)
            {
                throw Invalid("loadBalanced=true cannot be used with several hosts");
            }

            if (directConnection == true)
            {
                throw Invalid("loadBalanced=true cannot be combined with directConnection=true");
            }

            if (replicaSet is not null)
            {
                throw Invalid("loadBalanced=true cannot be combined with replicaSet");
            }
        }
    }
}
